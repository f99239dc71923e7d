"""Write Ofsted Annex A lists 1-7 to an XLSX workbook, one sheet per list."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from metrics.returns import annex_a as q
from metrics.returns.annex_a import CHILD_HEADERS, Window, child_columns, yes_no
from metrics.returns.xlsx import add_sheet, new_workbook

EARLY_HELP_CONTACT = "Contact screened to early help (Caseflow holds no early help assessments)"
EARLY_HELP_STEP_DOWN = "Step-down to early help after a Child and Family assessment"
REQUIRES_SUPPORT = {"cin_plan", "strategy_discussion", "other"}


def annex_a_workbook(as_of: date) -> tuple[Workbook, dict[str, int]]:
    """The workbook and the number of rows written per sheet."""
    w = Window(as_of)
    wb = new_workbook()
    counts = {}
    for title, headers, rows in _lists(w):
        counts[title] = add_sheet(wb, title, CHILD_HEADERS + headers, rows)
    return wb, counts


def _lists(w: Window):
    a = w.as_of
    yield (
        "List 1 Contacts",
        ["Date of Contact", "Contact Source"],
        (
            child_columns(c.child, a) + [c.contact.received_at.date(), c.contact.source]
            for c in q.contacts(w)
        ),
    )
    yield (
        "List 2 Early Help",
        [
            "Assessment start date",
            "Assessment completion date",
            "Organisation completing assessment",
        ],
        _early_help(w),
    )
    yield (
        "List 3 Referrals",
        [
            "Date of referral",
            "Referral Source",
            "Referral NFA?",
            "Number of Referrals in Last 12 Months",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            child_columns(r.child, a)
            + [
                r.referred_on,
                r.source,
                yes_no(r.nfa),
                r.referrals_12m,
                r.team_name or "",
                r.worker_name or "",
            ]
            for r in q.referrals(w)
        ),
    )
    yield (
        "List 4 Assessments",
        [
            "Assessment start date",
            "Date child seen",
            "Assessment authorisation date",
            "Assessed as requiring support?",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            child_columns(x.child, a)
            + [
                x.started_on,
                x.child_seen_on,
                x.authorised_on,
                yes_no(x.outcome in REQUIRES_SUPPORT) if x.authorised_on and x.outcome else "",
                x.team_name or "",
                x.worker_name or "",
            ]
            for x in q.assessments(w)
        ),
    )
    yield (
        "List 5 Section 47",
        [
            "Strategy discussion initiating Section 47 Enquiry",
            "ICPC deemed unnecessary?",
            "Date of ICPC",
            "ICPC resulted in CP plan?",
            "Number of Section 47 Enquiries in the last 12 months",
            "Number of ICPCs in the last 12 months",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            child_columns(s.child, a)
            + [
                s.started_on,
                yes_no(s.icpc_not_required),
                s.icpc_on,
                yes_no(s.led_to_plan is not None) if s.icpc_on else "",
                s.s47s_12m,
                s.icpcs_12m,
                s.team_name or "",
                s.worker_name or "",
            ]
            for s in q.s47s(w)
        ),
    )
    yield (
        "List 6 Children in Need",
        [
            "CIN start date",
            "Primary need code",
            "Date child last seen",
            "Case closure date",
            "Reason for closure",
            "Case status",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            child_columns(r.child, a)
            + [
                r.referred_on,
                r.primary_need,
                r.last_seen_on,
                None,
                "",
                "Child protection plan" if r.on_cp_plan else "Open child in need case",
                r.team_name or "",
                r.worker_name or "",
            ]
            for r in q.children_in_need(w)
        ),
    )
    yield (
        "List 7 Child Protection",
        [
            "CP plan start date",
            "Initial category of abuse",
            "Latest category of abuse",
            "Date of last statutory visit",
            "Was the child seen alone?",
            "Date of latest review conference",
            "CP plan end date",
            "EPO or police protection in last 6 months",
            "Number of previous CP plans",
            "Allocated Team",
            "Allocated Worker",
        ],
        (
            child_columns(p.child, a)
            + [
                p.started_on,
                p.initial_category,
                p.latest_category,
                p.last_visit_on,
                yes_no(p.last_seen_alone),
                p.latest_review_on,
                p.ended_on,
                "Not recorded in Caseflow",
                p.previous_plans,
                p.team_name or "",
                p.worker_name or "",
            ]
            for p in q.child_protection(w)
        ),
    )


def _early_help(w: Window):
    for c in q.early_help_contacts(w):
        day = c.contact.received_at.date()
        yield child_columns(c.child, w.as_of) + [day, day, EARLY_HELP_CONTACT]
    for x in q.early_help_assessments(w):
        yield child_columns(x.child, w.as_of) + [
            x.started_on,
            x.authorised_on,
            EARLY_HELP_STEP_DOWN,
        ]

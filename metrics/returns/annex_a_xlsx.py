"""Write Ofsted Annex A lists 1-11 to an XLSX workbook: a sheet per list, and notes."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from metrics.returns import annex_a as q
from metrics.returns import annex_a_care, annex_a_cla
from metrics.returns import annex_a_codes as codes
from metrics.returns.annex_a import CHILD_HEADERS, DISABILITY_HEADER, Window, child_columns, yes_no
from metrics.returns.xlsx import add_sheet, new_workbook

REQUIRES_SUPPORT = {"cin_plan", "strategy_discussion", "other"}
TEAM_WORKER = ["Allocated Team", "Allocated Worker"]
NOTES_TITLE = "Notes"
EARLY_HELP_TITLE = "List 2 Early Help"


def annex_a_workbook(as_of: date) -> tuple[Workbook, dict[str, int]]:
    """The workbook and the number of rows written per list (the notes sheet not counted)."""
    w = Window(as_of)
    wb = new_workbook()
    counts = {}
    for title, headers, rows in _lists(w):
        counts[title] = add_sheet(wb, title, headers, rows)
    add_sheet(wb, NOTES_TITLE, ["Note"], ([line] for line in notes(w, counts)))
    return wb, counts


def notes(w: Window, counts: dict[str, int]) -> list[str]:
    lines = [
        f"As at {w.as_of:%d/%m/%Y}; lists 1-5 cover {w.start:%d/%m/%Y} to {w.as_of:%d/%m/%Y}.",
        "Values are as known at the as-of date: later dates, outcomes and workers are blank.",
        "List 7: EPO or police protection is not recorded in Caseflow; the column is blank.",
    ]
    lines.extend(early_help_notes(counts))
    lines.extend(annex_a_cla.LIST_8_NOTES + annex_a_care.LIST_11_NOTES)
    return lines


def early_help_notes(counts: dict[str, int]) -> list[str]:
    if counts.get(EARLY_HELP_TITLE):
        return [
            "List 2: early help assessments recorded in Caseflow's early help episodes "
            "(started in the window, or open early help the authority coordinates)."
        ]
    return [
        "List 2: no early help assessments are recorded for the window; contacts "
        "screened to early help are in list 1."
    ]


def _lists(w: Window):
    yield (
        "List 1 Contacts",
        CHILD_HEADERS + ["Date of Contact", "Contact Source"],
        (
            child_columns(c.child, w)
            + [timezone.localdate(c.contact.received_at), codes.source(c.contact.source)]
            for c in q.contacts(w)
        ),
    )
    yield (
        EARLY_HELP_TITLE,
        CHILD_HEADERS
        + [
            "Assessment start date",
            "Assessment completion date",
            "Organisation completing assessment",
        ],
        early_help_rows(w),
    )
    yield (
        "List 3 Referrals",
        CHILD_HEADERS
        + [
            "Date of Referral",
            "Referral Source",
            "Referral NFA?",
            "Number of Referrals in Last 12 Months",
            *TEAM_WORKER,
        ],
        (
            child_columns(r.child, w)
            + [
                r.referred_on,
                codes.source(r.source),
                codes.lettered_yes_no(r.nfa),
                r.referrals_12m,
                r.team_name or "",
                r.worker_name or "",
            ]
            for r in q.referrals(w)
        ),
    )
    yield (
        "List 4 Assessments",
        CHILD_HEADERS
        + [
            DISABILITY_HEADER,
            "Continuous Assessment Start Date",
            "Child Seen During Continuous Assessment",
            "Continuous Assessment Date of Authorisation",
            "Was the child assessed as requiring LA children's social care support?",
            *TEAM_WORKER,
        ],
        (_assessment_row(x, w) for x in q.assessments(w)),
    )
    yield (
        "List 5 Section 47",
        CHILD_HEADERS
        + [
            DISABILITY_HEADER,
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Was an ICPC deemed unnecessary?",
            "Date of ICPC",
            "Did the ICPC result in a Child Protection Plan?",
            "Number of Section 47 Enquiries in the last 12 months",
            "Number of ICPCs in the last 12 months",
            *TEAM_WORKER,
        ],
        (_s47_row(s, w) for s in q.s47s(w)),
    )
    yield (
        "List 6 Children in Need",
        CHILD_HEADERS
        + [
            DISABILITY_HEADER,
            "CIN Start Date",
            "Primary Need Code",
            "Date Child Was Last Seen",
            "CIN Closure Date",
            "Reason for Closure",
            "Case Status",
            *TEAM_WORKER,
        ],
        (_cin_row(r, w) for r in q.children_in_need(w)),
    )
    yield (
        "List 7 Child Protection",
        CHILD_HEADERS
        + [
            DISABILITY_HEADER,
            "Child Protection Plan Start Date",
            "Initial Category of Abuse",
            "Latest Category of Abuse",
            "Date of the Last Statutory Visit",
            "Was the Child Seen Alone?",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Subject to Emergency Protection Order or Police Protection in last six months",
            "Number of Previous Child Protection Plans",
            *TEAM_WORKER,
        ],
        (_cp_row(p, w) for p in q.child_protection(w)),
    )
    yield from annex_a_cla.lists(w)
    yield from annex_a_care.lists(w)


def early_help_rows(w: Window):
    for e in q.early_help(w):
        yield child_columns(e.child, w) + [
            e.assessment_started_on,
            w.known(e.assessment_completed_on),
            e.get_lead_agency_display(),
        ]


def _assessment_row(x, w: Window) -> list:
    authorised_on = w.known(x.authorised_on)
    return child_columns(x.child, w, disability=True) + [
        x.started_on,
        yes_no(w.known(x.child_seen_on) is not None),
        authorised_on,
        yes_no(x.outcome in REQUIRES_SUPPORT) if authorised_on and x.outcome else "",
        x.team_name or "",
        x.worker_name or "",
    ]


def _s47_row(s, w: Window) -> list:
    # "ICPC not required" is decided when the enquiry ends: unknown before that.
    ended = w.known(s.ended_on) is not None
    return child_columns(s.child, w, disability=True) + [
        s.started_on,
        yes_no(s.icpc_not_required) if ended else "",
        s.icpc_on,
        yes_no(s.led_to_plan) if s.icpc_on else "",
        s.s47s_12m,
        s.icpcs_12m,
        s.team_name or "",
        s.worker_name or "",
    ]


def _cin_row(r, w: Window) -> list:
    closed_on = w.known(r.closed_on)
    return child_columns(r.child, w, disability=True) + [
        r.referred_on,
        codes.primary_need(r.primary_need),
        r.last_seen_on,
        closed_on,
        codes.closure_reason(r.closure_reason) if closed_on else "",
        q.case_status(r, w),
        r.team_name or "",
        r.worker_name or "",
    ]


def _cp_row(p, w: Window) -> list:
    return child_columns(p.child, w, disability=True) + [
        p.started_on,
        codes.category(p.initial_category),
        codes.category(p.category_as_at),
        p.last_visit_on,
        codes.seen_alone(p.last_seen_alone) if p.last_visit_on else "",
        p.latest_review_on,
        w.known(p.ended_on),
        "",
        p.previous_plans,
        p.team_name or "",
        p.worker_name or "",
    ]

"""Ofsted Annex A lists 9 (care leavers) and 10 (adoption), as at the as-of date.

Columns follow the LIIA ``liia-tools`` schema of Ofsted's template (care.md section 6). List 9
holds every care leaver; their latest pathway plan review and contact are those on or before
the as-of date. List 10 holds the children adopted, with a decision that they should be
placed for adoption, or with that decision reversed, in the 12 months to the as-of date; a
step after the as-of date is blank. Each list is a fixed number of queries.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q

from care.models import AdoptionPlan, CareLeaver, LeaverContact, PathwayPlanReview
from metrics.returns.annex_a import CHILD_HEADERS, DISABILITY_HEADER, Window, child_columns, yes_no
from metrics.returns.annex_a_codes import disability

LIST_9 = "List 9 Care Leavers"
LIST_10 = "List 10 Adoption"
LIST_9_HEADERS = CHILD_HEADERS + [
    "UASC or formerly UASC", DISABILITY_HEADER, "Allocated Team", "Allocated Worker",
    "Allocated Personal Advisor", "Eligibility Category", "Latest Pathway Plan Review Date",
    "Is the Local Authority in Touch", "Latest Date of Contact", "Accommodation Type",
    "Is the Accommodation Suitable", "Activity Status",
]  # fmt: skip
LIST_10_HEADERS = CHILD_HEADERS + [
    DISABILITY_HEADER, "Date Entered Care", "Date of Decision that Child Should be Placed for "
    "Adoption", "Date of Placement Order", "Date of Matching", "Date Placed for Adoption",
    "Date of Adoption Order", "Date of Decision that Child Should No Longer be Placed for "
    "Adoption", "Reason Why Child No Longer Placed for Adoption",
]  # fmt: skip


def care_leavers(w: Window):
    reviews = PathwayPlanReview.objects.current().filter(held_on__lte=w.as_of)
    contacts = LeaverContact.objects.current().filter(contacted_on__lte=w.as_of)
    return (
        CareLeaver.objects.current()
        .select_related("child", "worker__team")
        .prefetch_related(
            Prefetch("reviews", queryset=reviews.order_by("-held_on"), to_attr="held"),
            Prefetch("contacts", queryset=contacts.order_by("-contacted_on"), to_attr="known"),
            "child__care_periods",
        )
        .order_by("child__la_child_id")
    )


def care_leaver_row(leaver, w: Window) -> list:
    child = leaver.child
    review = leaver.held[0] if leaver.held else None
    contact = leaver.known[0] if leaver.known else None
    accom = contact.accommodation if contact else ""
    return child_columns(child, w) + [
        yes_no(any(p.uasc for p in child.care_periods.all())),
        disability(child.disabilities),
        leaver.worker.team.name if leaver.worker else "",
        str(leaver.worker) if leaver.worker else "",
        leaver.personal_adviser,
        leaver.get_eligibility_display(),
        review.held_on if review else None,
        contact.get_in_touch_display() if contact else "",
        contact.contacted_on if contact else None,
        contact.get_accommodation_display().split(":")[0] if accom and accom != "0" else "",
        yes_no(accom.endswith("1")) if accom and accom != "0" else "",
        contact.get_activity_display() if contact and contact.activity else "",
    ]


def adoptions(w: Window):
    since = w.as_of - relativedelta(months=12)
    in_window = Q()
    for field in ("adopted_on", "decided_on", "reversed_on"):
        in_window |= Q(**{f"{field}__gt": since, f"{field}__lte": w.as_of})
    return (
        AdoptionPlan.objects.current()
        .filter(in_window)
        .select_related("child", "period")
        .order_by("child__la_child_id", "decided_on")
    )


def adoption_row(plan, w: Window) -> list:
    return child_columns(plan.child, w, disability=True) + [
        plan.period.started_on,
        w.known(plan.decided_on),
        w.known(plan.placement_order_on),
        w.known(plan.matched_on),
        w.known(plan.placed_on),
        w.known(plan.adopted_on),
        w.known(plan.reversed_on),
        plan.reversal_reason if w.known(plan.reversed_on) else "",
    ]


def lists(w: Window):
    """(title, headers, rows) for the Annex A workbook."""
    yield LIST_9, LIST_9_HEADERS, (care_leaver_row(x, w) for x in care_leavers(w))
    yield LIST_10, LIST_10_HEADERS, (adoption_row(p, w) for p in adoptions(w))

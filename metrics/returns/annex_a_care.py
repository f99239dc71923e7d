"""Ofsted Annex A lists 9 (care leavers), 10 (adoption) and 11 (adopters), as at the as-of date.

Columns follow the LIIA ``liia-tools`` schema of Ofsted's template (care.md section 6). List 9
holds every care leaver; their latest pathway plan review and contact are those on or before
the as-of date. List 10 holds the children adopted, with a decision that they should be
placed for adoption, or with that decision reversed, in the 12 months to the as-of date; a
step after the as-of date is blank. List 11 has a row per adopter (``care.adopters``) in
the process in the 12 months to the as-of date: enquiry by then, not left nor adopted
before the 12 months, with their family's dates as known then and its latest match,
placement and order; and, for adoptions whose adopters were not recorded as people, a row
per plan matched, placed or adopted in the 12 months with the AD1 details only
(LIST_11_NOTES). Each list is a fixed number of queries.
"""

from __future__ import annotations

from itertools import chain

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q

from care.models import (
    Adopter,
    AdopterHousehold,
    AdoptionPlan,
    CareLeaver,
    LeaverContact,
    PathwayPlanReview,
)
from metrics.returns.annex_a import CHILD_HEADERS, DISABILITY_HEADER, Window, child_columns, yes_no
from metrics.returns.annex_a_codes import disability

LIST_9 = "List 9 Care Leavers"
LIST_10 = "List 10 Adoption"
LIST_11 = "List 11 Adopters"
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


LIST_11_HEADERS = [
    "Adopter ID", "Family ID", "Gender", "Ethnicity", "Disability",
    "Is the Adopter Approved for Fostering for Adoption", "Date of Initial Enquiry",
    "Date Stage 1 Started", "Date Stage 1 Ended", "Date Stage 2 Started", "Date Stage 2 Ended",
    "Date of Application", "Date of Approval", "Date Matched", "Date Placed",
    "Number of Children Placed", "Date of Adoption Order", "Date Adopter Left the Process",
    "Reason Adopter Left the Process",
]  # fmt: skip
LIST_11_NOTES = [
    "List 11: one row per adopter in the process in the last 12 months (adopter and family "
    "IDs, the family's stages, approval, matches and leaving as recorded by the agency). An "
    "adoption whose adopters were recorded only as the plan's AD1 details (number, sex, "
    "legal status) has one row per plan matched, placed or adopted in the last 12 months, "
    "its IDs, ethnicity, disability and stage dates blank and its gender the adopters' sex.",
]


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


def _any_in_last_12_months(w: Window, *fields: str) -> Q:
    since = w.as_of - relativedelta(months=12)
    in_window = Q()
    for field in fields:
        in_window |= Q(**{f"{field}__gt": since, f"{field}__lte": w.as_of})
    return in_window


def adoptions(w: Window):
    return (
        AdoptionPlan.objects.current()
        .filter(_any_in_last_12_months(w, "adopted_on", "decided_on", "reversed_on"))
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


def adopters(w: Window):
    """Adoption plans matched, placed or adopted in the 12 months without adopters recorded
    as people (their households are listed by ``adopter_people``)."""
    return (
        AdoptionPlan.objects.current()
        .filter(_any_in_last_12_months(w, "matched_on", "placed_on", "adopted_on"))
        .filter(adopters__isnull=True)
        .select_related("child")
        .order_by("child__la_child_id", "matched_on")
    )


def adopter_people(w: Window):
    """(adopter, household) for each adopter in the process in the 12 months."""
    since = w.as_of - relativedelta(months=12)
    plans = AdoptionPlan.objects.current().filter(matched_on__lte=w.as_of).order_by("matched_on")
    households = (
        AdopterHousehold.objects.current()
        .filter(enquiry_on__lte=w.as_of)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=since))
        .exclude(plans__adopted_on__lte=since)
        .prefetch_related(
            Prefetch("plans", queryset=plans, to_attr="matches"),
            Prefetch("adopters", queryset=Adopter.objects.current().order_by("reference"),
                     to_attr="people"),
        )
        .order_by("reference")
    )  # fmt: skip
    for household in households:
        for adopter in household.people:
            yield adopter, household


def adopter_person_row(adopter, family, w: Window) -> list:
    matches = family.matches
    latest = matches[-1] if matches else None
    placed = [p for p in matches if w.known(p.placed_on)]
    left_on = w.known(family.left_on)
    return [
        adopter.reference, family.reference, adopter.get_sex_display(), adopter.ethnicity,
        "" if adopter.disabled is None else yes_no(adopter.disabled),
        yes_no(family.fostering_for_adoption),
        *(w.known(getattr(family, name)) for name in (
            "enquiry_on", "stage1_started_on", "stage1_ended_on", "stage2_started_on",
            "stage2_ended_on", "applied_on", "approved_on")),
        w.known(latest.matched_on) if latest else None,
        w.known(latest.placed_on) if latest else None,
        len(placed),
        w.known(latest.adopted_on) if latest else None,
        left_on,
        family.left_reason if left_on else "",
    ]  # fmt: skip


def adopter_row(plan, w: Window) -> list:
    placed_on = w.known(plan.placed_on)
    # IDs, ethnicity, disability, fostering for adoption; then enquiry to approval dates.
    unrecorded = ["", "", plan.get_adopters_sex_display(), "", "", ""] + [None] * 7
    return unrecorded + [
        w.known(plan.matched_on),
        placed_on,
        1 if placed_on else 0,
        w.known(plan.adopted_on),
        None,
        "",
    ]


def lists(w: Window):
    """(title, headers, rows) for the Annex A workbook."""
    yield LIST_9, LIST_9_HEADERS, (care_leaver_row(x, w) for x in care_leavers(w))
    yield LIST_10, LIST_10_HEADERS, (adoption_row(p, w) for p in adoptions(w))
    yield (
        LIST_11,
        LIST_11_HEADERS,
        chain(
            (adopter_person_row(a, h, w) for a, h in adopter_people(w)),
            (adopter_row(p, w) for p in adopters(w)),
        ),
    )

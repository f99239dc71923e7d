"""KPIs as the seeds define them (issue 23): fixed definitions and the missing measures.

Flows here follow ``metrics.kpis.flows`` (one aggregate query by month and scope; the
same ``Flow`` gives the drill-down), stocks follow ``metrics.kpis.stocks``. Where a seed
and a DfE publication differ, both are registered under their own codes and the
registry's ``source`` says which is the DfE's.
"""

from __future__ import annotations

from django.db.models import DateField, Exists, F, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from casework.models import (
    ChildProtectionConference,
    ConferenceKind,
    CoreGroup,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
    VisitKind,
)
from casework.timescales import CORE_GROUP_WORKING_DAYS, cp_visit_standard
from metrics.kpis import flows, stocks
from metrics.kpis.flows import Flow, _flow
from metrics.kpis.sql import AddMonths, working_days

# Working Together 2023: first review 3 calendar months after the ICPC, later reviews
# at most 6 calendar months after the previous one (casework/timescales.py says the same
# for the stored due dates; the KPI recomputes them because a stored date can be moved).
FIRST_REVIEW_MONTHS, LATER_REVIEW_MONTHS = 3, 6


def _reviews():
    return ChildProtectionConference.objects.filter(
        entered_in_error=False, kind=ConferenceKind.REVIEW
    )


def cp_reviews_in_time(start, end) -> Flow:
    """Reviews held in the period by their statutory date, not the stored target date.

    The stored ``due_on`` can be moved (the generator moves it to the next working day,
    a user can re-schedule); the statute counts calendar months from the ICPC (the
    plan's start) or from the previous review.
    """
    previous = (
        _reviews()
        .filter(plan=OuterRef("plan"), held_on__lt=OuterRef("held_on"))
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    qs = (
        _reviews()
        .filter(referral__entered_in_error=False, held_on__gte=start, held_on__lte=end)
        .annotate(previous_review=Subquery(previous, output_field=DateField()))
        .annotate(
            statutory_due=Coalesce(
                AddMonths(F("previous_review"), LATER_REVIEW_MONTHS),
                AddMonths(F("plan__started_on"), FIRST_REVIEW_MONTHS),
                F("due_on"),
                output_field=DateField(),
            )
        )
    )
    return _flow(qs, "held_on", Q(held_on__lte=F("statutory_due")))


def cp_ended_by_first_review(start, end) -> Flow:
    """Seed 001: children made subject to a plan in the period who came off it at or
    before their first review (due 3 calendar months after the ICPC)."""
    reviewed_before_end = _reviews().filter(plan=OuterRef("pk"), held_on__lt=OuterRef("ended_on"))
    qs = flows._plans_started(start, end).annotate(
        first_review_due=AddMonths(F("started_on"), FIRST_REVIEW_MONTHS),
        reviewed_before_end=Exists(reviewed_before_end),
    )
    by_first_review = Q(ended_on__lte=F("first_review_due")) | Q(reviewed_before_end=False)
    return _flow(qs, "started_on", Q(ended_on__isnull=False) & by_first_review)


def _cp_visits_seen_by_social_worker():
    return Visit.objects.filter(
        entered_in_error=False,
        kind=VisitKind.CP,
        child_seen=True,
        cp_plan__isnull=False,
        cp_plan__entered_in_error=False,
        worker__role__in=stocks.CASE_HOLDING,
    )


def cp_visits_in_time(start, end) -> Flow:
    """Seeds 000/004: every gap between statutory visits, across the period.

    One row per CP visit in the period at which a social worker saw the child; in time
    when it came within the plan's visit standard (a manager's variation, else the
    authority's) of the previous such visit on the plan, or of the plan's start.
    """
    earlier = (
        _cp_visits_seen_by_social_worker()
        .filter(cp_plan=OuterRef("cp_plan"), visited_on__lt=OuterRef("visited_on"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    qs = (
        _cp_visits_seen_by_social_worker()
        .filter(referral__entered_in_error=False, visited_on__gte=start, visited_on__lte=end)
        .annotate(
            since=Coalesce(
                Subquery(earlier, output_field=DateField()),
                F("cp_plan__started_on"),
                output_field=DateField(),
            ),
            standard=Coalesce(
                F("cp_plan__visit_standard_working_days"),
                Value(cp_visit_standard()),
                output_field=IntegerField(),
            ),
        )
        .annotate(taken=working_days("since", "visited_on"))
    )
    return _flow(qs, "visited_on", Q(taken__lte=F("standard")))


def cp_visits_seen_alone(start, end) -> Flow:
    qs = Visit.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        kind=VisitKind.CP,
        child_seen=True,
        visited_on__gte=start,
        visited_on__lte=end,
    )
    return _flow(qs, "visited_on", Q(seen_alone=True))


def referrals_to_s47(start, end) -> Flow:
    enquiry = Section47Enquiry.objects.filter(referral=OuterRef("pk"), entered_in_error=False)
    qs = flows._referrals(start, end).annotate(enquired=Exists(enquiry))
    return _flow(qs, "referred_on", Q(enquired=True), episode="pk")


def strategy_discussions_to_s47(start, end) -> Flow:
    enquiry = Section47Enquiry.objects.filter(
        strategy_discussion=OuterRef("pk"), entered_in_error=False
    )
    qs = StrategyDiscussion.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        held_on__gte=start,
        held_on__lte=end,
    ).annotate(enquired=Exists(enquiry))
    return _flow(qs, "held_on", Q(enquired=True))


def rate_icpc_per_10k(start, end) -> Flow:
    return _flow(flows._icpcs(start, end), "held_on", Q(), scoped=False)


def rate_assessments_per_10k(start, end) -> Flow:
    # DfE counts assessments completed (authorised) in the year.
    return _flow(flows._authorised_assessments(start, end), "authorised_on", Q(), scoped=False)


def first_core_group_10wd(start, end) -> Flow:
    """Plans started in the period whose first core group met within 10 working days of
    the ICPC (the plan starts on the ICPC date)."""
    first = (
        CoreGroup.objects.filter(plan=OuterRef("pk"), entered_in_error=False)
        .values("plan")
        .annotate(first=Min("held_on"))
        .values("first")
    )
    qs = flows._plans_started(start, end).annotate(
        first_core_group=Subquery(first, output_field=DateField())
    )
    qs = qs.annotate(taken=working_days("started_on", "first_core_group"))
    return _flow(qs, "started_on", Q(taken__lte=CORE_GROUP_WORKING_DAYS))


def looked_after_exclusion_sql() -> tuple[str, list]:
    """SQL excluding children looked after at ``d.date`` (a period of care open then),
    with the same open-at rule as every other stock (started on or before, not yet
    ended)."""
    from care.models import CarePeriod

    sql = f""" AND NOT EXISTS (SELECT 1 FROM {CarePeriod._meta.db_table} cp
        WHERE cp.child_id = r.child_id AND cp.entered_in_error = %s
          AND cp.started_on <= d.date AND (cp.ended_on IS NULL OR cp.ended_on > d.date))"""
    return sql, [False]


def _rate_cin_excl_cp_cla(*, scoped=False) -> stocks.Stock:
    on_plan = f"""NOT EXISTS (SELECT 1 FROM {stocks.T_PLAN} p
        WHERE p.child_id = r.child_id AND p.entered_in_error = %s
          AND p.started_on <= d.date AND (p.ended_on IS NULL OR p.ended_on > d.date))"""
    looked_after, looked_after_params = looked_after_exclusion_sql()
    where = f"r.entered_in_error = %s AND {on_plan}{looked_after}"
    return stocks.Stock(
        stocks._open_at(stocks.T_REF, "r", "referred_on", "closed_on"), [], where,
        [False, False, *looked_after_params], "r.child_id",
    )  # fmt: skip


def rate_cin_excl_cp_cla_per_10k(dates, *, scoped=False):
    return _rate_cin_excl_cp_cla().aggregate(dates)

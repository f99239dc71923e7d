"""Ofsted Annex A (ILACS): the rows of lists 1-7, as at an as-of date.

Windows (workforce-earlyhelp-annexa.md section C): lists 1-5 take the events of the six
months up to and including ``as_of``; list 6 the children receiving CIN services at
``as_of`` or during the window (one row per child, latest episode); list 7 the plans open at
``as_of`` and those ended in the window. Every value is as at ``as_of``: a date after it (an
authorisation, an ICPC, a plan end, a closure recorded later) is not known then, so it is
blank, and so is anything that follows from it (outcome, closure reason). The allocated
team and worker are the episode's latest allocation started on or before ``as_of``.
"In the last 12 months" counts leave out the row's own event. Every per-row figure is a
subquery annotation, so each list is one query however many rows it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from casework.models import (
    Allocation,
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceKind,
    Section47Enquiry,
    Visit,
    VisitKind,
)
from metrics.report_breakdowns import category_in_force
from metrics.returns import annex_a_codes as codes
from referrals.models import ContactChild, Referral

CHILD_HEADERS = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age"]
DISABILITY_HEADER = "Does the Child have a Disability"


class MonthsBefore(Func):
    """``expr`` minus N calendar months, as a date (PostgreSQL and SQLite)."""

    output_field = None

    def __init__(self, expression, months: int):
        super().__init__(expression)
        self.months = months

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) - interval '{int(self.months)} months')::date", params

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '-{int(self.months)} months')", params


@dataclass(frozen=True)
class Window:
    as_of: date

    @property
    def start(self) -> date:
        """Six months back: the day after the same date six months earlier."""
        return self.as_of - relativedelta(months=6) + timedelta(days=1)

    def known(self, day: date | None) -> date | None:
        """``day`` if it had happened by the as-of date, else blank."""
        return day if day is not None and day <= self.as_of else None

    def open_in_window(self, start_field: str, end_field: str) -> Q:
        """Started by the as-of date and not ended before the window: open at some point."""
        return Q(**{f"{start_field}__lte": self.as_of}) & (
            Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": self.start})
        )

    def open_at_as_of(self, start_field: str, end_field: str) -> Q:
        """Open at the end of the as-of date (the KPI stocks' rule: start <= d < end)."""
        return Q(**{f"{start_field}__lte": self.as_of}) & (
            Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gt": self.as_of})
        )


def _count_in_last_12_months(model, date_field: str, outer_date: str, extra: Q | None = None):
    qs = model.objects.filter(
        child=OuterRef("child"),
        entered_in_error=False,
        **{
            f"{date_field}__lte": OuterRef(outer_date),
            f"{date_field}__gte": MonthsBefore(OuterRef(outer_date), 12),
        },
    ).exclude(pk=OuterRef("pk"))
    if extra is not None:
        qs = qs.filter(extra)
    counted = qs.order_by().values("child").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _allocated(w: Window, referral_path: str = "referral") -> dict:
    """Team and worker names of the episode's allocation as at the as-of date: the latest
    one started on or before it (current then, or the last one of a closed episode).
    Unlike the KPIs' attribution there is no fallback to a later allocation: a worker
    allocated after the as-of date was not allocated then."""
    latest = Allocation.objects.filter(
        referral=OuterRef(referral_path), entered_in_error=False, started_on__lte=w.as_of
    ).order_by("-started_on", "-pk")
    named = latest.annotate(name=Concat("worker__first_name", Value(" "), "worker__last_name"))
    return {
        "team_name": Subquery(latest.values("team__name")[:1]),
        "worker_name": Subquery(named.values("name")[:1]),
    }


def contacts(w: Window) -> QuerySet:
    return (
        ContactChild.objects.filter(
            contact__entered_in_error=False,
            contact__received_at__date__range=(w.start, w.as_of),
        )
        .select_related("child", "contact")
        .order_by("contact__received_at", "pk")
    )


def early_help(w: Window) -> QuerySet:
    """List 2: early help assessments started in the window, and the early help the
    authority coordinates that is open at the as-of date (assessed before the window)."""
    from earlyhelp.codes import LeadAgency
    from earlyhelp.models import EarlyHelpEpisode

    started_in_window = Q(assessment_started_on__range=(w.start, w.as_of))
    coordinated_open = Q(
        lead_agency=LeadAgency.LA_EARLY_HELP, assessment_started_on__lte=w.as_of
    ) & w.open_at_as_of("requested_on", "closed_on")
    return (
        EarlyHelpEpisode.objects.current()
        .filter(started_in_window | coordinated_open)
        .select_related("child")
        .order_by("assessment_started_on", "pk")
    )


def referrals(w: Window) -> QuerySet:
    return (
        Referral.objects.current()
        .filter(referred_on__range=(w.start, w.as_of))
        .select_related("child")
        .annotate(
            referrals_12m=_count_in_last_12_months(Referral, "referred_on", "referred_on"),
            **_allocated(w, "pk"),
        )
        .order_by("referred_on", "pk")
    )


def assessments(w: Window) -> QuerySet:
    """Assessments open at any point in the window (started in it or before it and not
    authorised before it)."""
    return (
        Assessment.objects.current()
        .filter(w.open_in_window("started_on", "authorised_on"))
        .select_related("child")
        .annotate(**_allocated(w))
        .order_by("started_on", "pk")
    )


def s47s(w: Window) -> QuerySet:
    """Section 47 enquiries in the window, open ones too: one row per enquiry."""
    icpc = ChildProtectionConference.objects.filter(
        s47=OuterRef("pk"), entered_in_error=False, held_on__lte=w.as_of
    )
    icpcs_12m = ChildProtectionConference.objects.filter(
        child=OuterRef("child"),
        kind=ConferenceKind.INITIAL,
        entered_in_error=False,
        held_on__lte=OuterRef("started_on"),
        held_on__gte=MonthsBefore(OuterRef("started_on"), 12),
    ).exclude(s47=OuterRef("pk"))
    counted = icpcs_12m.order_by().values("child").annotate(n=Count("pk")).values("n")
    plan = ChildProtectionPlan.objects.filter(
        icpc__s47=OuterRef("pk"), entered_in_error=False, started_on__lte=w.as_of
    )
    return (
        Section47Enquiry.objects.current()
        .filter(w.open_in_window("started_on", "ended_on"))
        .select_related("child")
        .annotate(
            icpc_on=Subquery(icpc.values("held_on")[:1]),
            led_to_plan=Exists(plan),
            s47s_12m=_count_in_last_12_months(Section47Enquiry, "started_on", "started_on"),
            icpcs_12m=Coalesce(Subquery(counted), 0),
            **_allocated(w),
        )
        .order_by("started_on", "pk")
    )


def children_in_need(w: Window) -> QuerySet:
    """Children receiving CIN services at the as-of date or during the window, CP included,
    referral-only (NFA at referral) left out: one row per child, their latest episode."""
    in_scope = Referral.objects.current().filter(
        w.open_in_window("referred_on", "closed_on"), nfa=False
    )
    latest = in_scope.filter(child=OuterRef("child")).order_by("-referred_on", "-pk")
    seen = Visit.objects.filter(
        referral=OuterRef("pk"), child_seen=True, entered_in_error=False, visited_on__lte=w.as_of
    ).order_by("-visited_on")
    current = Q(referral=OuterRef("pk"), entered_in_error=False)
    plan_open = w.open_at_as_of("started_on", "ended_on")
    return (
        in_scope.filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("child")
        .annotate(
            last_seen_on=Subquery(seen.values("visited_on")[:1]),
            on_cp_plan=Exists(ChildProtectionPlan.objects.filter(current, plan_open)),
            on_cin_plan=Exists(CINPlan.objects.filter(current, plan_open)),
            assessment_open=Exists(
                Assessment.objects.filter(current, w.open_at_as_of("started_on", "authorised_on"))
            ),
            **_allocated(w, "pk"),
        )
        .order_by("referred_on", "pk")
    )


def case_status(r, w: Window) -> str:
    """List 6's one status per child: the highest current one, or closed in the window.
    (Looked after is not held in Caseflow's CIN records.)"""
    if w.known(r.closed_on):
        return codes.CASE_STATUS_CLOSED
    if r.on_cp_plan:
        return codes.CASE_STATUS_CP
    if r.on_cin_plan:
        return codes.CASE_STATUS_CIN
    if r.assessment_open:
        return codes.CASE_STATUS_ASSESSMENT
    # An open episode with no plan or assessment running is still a child in need.
    return codes.CASE_STATUS_CIN


def child_protection(w: Window) -> QuerySet:
    """Plans open at the as-of date and plans ended in the window."""
    visits = Visit.objects.filter(
        cp_plan=OuterRef("pk"), kind=VisitKind.CP, entered_in_error=False, visited_on__lte=w.as_of
    ).order_by("-visited_on", "-pk")
    review = ChildProtectionConference.objects.filter(
        plan=OuterRef("pk"),
        kind=ConferenceKind.REVIEW,
        entered_in_error=False,
        held_on__lte=w.as_of,
    ).order_by("-held_on")
    previous = (
        ChildProtectionPlan.objects.filter(
            child=OuterRef("child"), entered_in_error=False, started_on__lt=OuterRef("started_on")
        )
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ChildProtectionPlan.objects.current()
        .filter(w.open_in_window("started_on", "ended_on"))
        .select_related("child")
        .annotate(
            last_visit_on=Subquery(visits.values("visited_on")[:1]),
            last_seen_alone=Subquery(visits.values("seen_alone")[:1]),
            latest_review_on=Subquery(review.values("held_on")[:1]),
            previous_plans=Coalesce(Subquery(previous), 0),
            # A category changed at a review after the as-of date was not known then.
            category_as_at=category_in_force(w.as_of),
            **_allocated(w),
        )
        .order_by("started_on", "pk")
    )


def child_columns(child, w: Window, *, disability: bool = False) -> list:
    """The leading columns, as at the as-of date: a child born after it was unborn then
    (no date of birth, age -1, gender not recorded)."""
    born_on = w.known(child.date_of_birth)
    unborn = child.is_unborn if child.date_of_birth is None else born_on is None
    row = [
        child.la_child_id,
        codes.gender(child.sex, unborn=unborn),
        codes.ethnicity(child.ethnicity),
        born_on,
        -1 if unborn else (born_on and child.age_on(w.as_of)),
    ]
    if disability:
        row.append(codes.disability(child.disabilities))
    return row


def yes_no(value) -> str:
    if value is None or value == "":
        return ""
    return "Yes" if value else "No"

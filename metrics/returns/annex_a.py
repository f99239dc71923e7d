"""Ofsted Annex A (ILACS): lists 1-7 of children, one sheet per list (domain.md section 5).

Lists 1-5 cover the six months up to and including ``as_of``; lists 6 and 7 the cases open at
``as_of``. Dates are written as Excel dates shown dd/mm/yyyy; codes are the census codes
(source 1A-10, need N0-N9, closure RC1-RC9, category NEG-MUL, GenderCurrent 1/2/0, disability
codes). "In the last 12 months" counts leave out the row's own event. Every per-row figure is a
subquery annotation, so each list is one query however many rows it has.

Caseflow holds no early-help assessments (early help is another service): list 2 lists the
children whose contact was screened to early help, and assessments that stepped down to early
help, in the period; its "organisation" column says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from casework.models import (
    Allocation,
    Assessment,
    AssessmentOutcome,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
    Visit,
    VisitKind,
)
from referrals.models import ContactChild, Referral, ScreeningDecision

CHILD_HEADERS = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Disability"]
GENDER = {"M": "1", "F": "2", "U": "0"}


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


def _allocation(field: str, referral_path: str = "referral"):
    latest = Allocation.objects.filter(
        referral=OuterRef(referral_path), entered_in_error=False
    ).order_by(F("ended_on").desc(nulls_first=True), "-started_on")  # current one first
    if field == "worker":
        latest = latest.annotate(name=Concat("worker__first_name", Value(" "), "worker__last_name"))
        return Subquery(latest.values("name")[:1])
    return Subquery(latest.values("team__name")[:1])


def contacts(w: Window) -> QuerySet:
    return (
        ContactChild.objects.filter(
            contact__entered_in_error=False,
            contact__received_at__date__range=(w.start, w.as_of),
        )
        .select_related("child", "contact")
        .order_by("contact__received_at", "pk")
    )


def early_help_contacts(w: Window) -> QuerySet:
    return contacts(w).filter(decision=ScreeningDecision.EARLY_HELP)


def early_help_assessments(w: Window) -> QuerySet:
    return (
        Assessment.objects.current()
        .filter(outcome=AssessmentOutcome.EARLY_HELP, authorised_on__range=(w.start, w.as_of))
        .select_related("child")
        .order_by("authorised_on", "pk")
    )


def referrals(w: Window) -> QuerySet:
    return (
        Referral.objects.current()
        .filter(referred_on__range=(w.start, w.as_of))
        .select_related("child")
        .annotate(
            referrals_12m=_count_in_last_12_months(Referral, "referred_on", "referred_on"),
            team_name=_allocation("team", "pk"),
            worker_name=_allocation("worker", "pk"),
        )
        .order_by("referred_on", "pk")
    )


def assessments(w: Window) -> QuerySet:
    in_window = Q(started_on__range=(w.start, w.as_of)) | Q(authorised_on__range=(w.start, w.as_of))
    return (
        Assessment.objects.current()
        .filter(in_window)
        .select_related("child")
        .annotate(team_name=_allocation("team"), worker_name=_allocation("worker"))
        .order_by("started_on", "pk")
    )


def s47s(w: Window) -> QuerySet:
    icpc = ChildProtectionConference.objects.filter(
        s47=OuterRef("pk"), entered_in_error=False, held_on__isnull=False
    )
    icpcs_12m = ChildProtectionConference.objects.filter(
        child=OuterRef("child"),
        kind=ConferenceKind.INITIAL,
        entered_in_error=False,
        held_on__lte=OuterRef("started_on"),
        held_on__gte=MonthsBefore(OuterRef("started_on"), 12),
    ).exclude(s47=OuterRef("pk"))
    counted = icpcs_12m.order_by().values("child").annotate(n=Count("pk")).values("n")
    plan = ChildProtectionPlan.objects.filter(icpc__s47=OuterRef("pk"), entered_in_error=False)
    return (
        Section47Enquiry.objects.current()
        .filter(started_on__range=(w.start, w.as_of))
        .select_related("child")
        .annotate(
            icpc_on=Subquery(icpc.values("held_on")[:1]),
            led_to_plan=Subquery(plan.values("pk")[:1]),
            s47s_12m=_count_in_last_12_months(Section47Enquiry, "started_on", "started_on"),
            icpcs_12m=Coalesce(Subquery(counted), 0),
            team_name=_allocation("team"),
            worker_name=_allocation("worker"),
        )
        .order_by("started_on", "pk")
    )


def children_in_need(w: Window) -> QuerySet:
    seen = Visit.objects.filter(
        referral=OuterRef("pk"), child_seen=True, entered_in_error=False, visited_on__lte=w.as_of
    ).order_by("-visited_on")
    on_cp = ChildProtectionPlan.objects.filter(
        referral=OuterRef("pk"), entered_in_error=False, started_on__lte=w.as_of
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=w.as_of))
    return (
        Referral.objects.current()
        .filter(referred_on__lte=w.as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=w.as_of))
        .select_related("child")
        .annotate(
            last_seen_on=Subquery(seen.values("visited_on")[:1]),
            on_cp_plan=Subquery(on_cp.values("pk")[:1]),
            team_name=_allocation("team", "pk"),
            worker_name=_allocation("worker", "pk"),
        )
        .order_by("referred_on", "pk")
    )


def child_protection(w: Window) -> QuerySet:
    visits = Visit.objects.filter(
        cp_plan=OuterRef("pk"), kind=VisitKind.CP, entered_in_error=False, visited_on__lte=w.as_of
    ).order_by("-visited_on")
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
        .filter(started_on__lte=w.as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=w.as_of))
        .select_related("child")
        .annotate(
            last_visit_on=Subquery(visits.values("visited_on")[:1]),
            last_seen_alone=Subquery(visits.values("seen_alone")[:1]),
            latest_review_on=Subquery(review.values("held_on")[:1]),
            previous_plans=Coalesce(Subquery(previous), 0),
            team_name=_allocation("team"),
            worker_name=_allocation("worker"),
        )
        .order_by("started_on", "pk")
    )


def child_columns(child, as_of: date) -> list:
    return [
        child.la_child_id,
        GENDER.get(child.sex, "0"),
        child.ethnicity,
        child.date_of_birth,
        child.age_on(as_of),
        ", ".join(child.disabilities or []),
    ]


def yes_no(value) -> str:
    if value is None or value == "":
        return ""
    return "Yes" if value else "No"

"""Flow KPIs: events dated in a period, counted in the database by month and scope.

Each function returns one aggregate query: rows of (month, team, worker, num, den) for
events dated between ``start`` and ``end``. Monthly counts of events add up exactly to
any longer period, so quarters, years and rolling years are sums of these rows (a few
hundred aggregate rows, never case rows). Every query drops rows entered in error, on
the event and on the episode (referral) it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from casework.models import (
    Assessment,
    AssessmentOutcome,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    S47Outcome,
    Section47Enquiry,
)
from casework.scope import Stamp, stored_scope
from casework.timescales import (
    ASSESSMENT_WORKING_DAYS,
    ICPC_WORKING_DAYS,
    SCREENING_WORKING_DAYS,
)
from metrics.kpis.sql import AddMonths, allocated_rows, allocation_at, no_scope, working_days
from referrals.models import ContactChild, Referral


@dataclass(frozen=True)
class Clock:
    """Where a KPI's working days start: a date field on the event's row and its name."""

    start: str
    label: str


# Most timescales run from the referral; a KPI whose definition starts elsewhere says so.
FROM_REFERRAL = Clock("referral__referred_on", "referral")
FROM_STRATEGY_DISCUSSION = Clock("s47__strategy_discussion__held_on", "strategy discussion")
FROM_ASSESSMENT_START = Clock("started_on", "assessment start")


@dataclass
class Flow:
    """The events behind a flow KPI: a queryset, its date field and the numerator test,
    and the clock its drill-down counts working days from (None: no episode to count
    from, e.g. contacts)."""

    qs: QuerySet
    on: str
    num: Q
    scopable: bool = True
    episode: str = "referral"
    team: object = None
    worker: object = None
    clock: Clock | None = FROM_REFERRAL
    # A worker recorded on the event itself, preferred over the allocation's.
    own_worker: object = None

    def stored(self) -> Stamp | None:
        """The scope stored on the events for this flow's date (``casework.scope``)."""
        if self.team is not None or self.worker is not None:
            return None
        return stored_scope(self.qs.model._meta.db_table, self.on)

    def _scoped(self) -> QuerySet:
        stored = self.stored()
        if stored is not None:
            team, worker = F(stored.team), F(stored.worker)
        else:
            team = (
                self.team
                if self.team is not None
                else allocation_at("team_id", referral=self.episode, on=self.on)
            )
            worker = (
                self.worker
                if self.worker is not None
                else allocation_at("worker_id", referral=self.episode, on=self.on)
            )
        if self.own_worker is not None:
            worker = Coalesce(self.own_worker, worker, output_field=IntegerField())
        return self.qs.annotate(scope_team=team, scope_worker=worker)

    def rows(self, *, scoped: bool) -> QuerySet | list[dict]:
        """GROUP BY month, team, worker with the numerator and denominator counts.

        Scoped by allocation, the events carry their scope (``casework.scope``: written
        when the event or its episode's allocations are saved), so this is one GROUP BY;
        events without a stored scope are joined once to the allocations' date ranges
        (``allocated_rows``), the same rule.
        """
        if (
            scoped and self.scopable and self.team is None and self.worker is None
            and self.stored() is None
        ):  # fmt: skip
            return allocated_rows(
                self.qs, episode=self.episode, on=self.on, num=self.num,
                own_worker=self.own_worker,
            )  # fmt: skip
        if scoped and self.scopable:
            qs = self._scoped()
        else:
            qs = self.qs.annotate(scope_team=no_scope(), scope_worker=no_scope())
        return (
            qs.annotate(month=TruncMonth(self.on))
            .values("month", "scope_team", "scope_worker")
            .annotate(num=Count("pk", filter=self.num), den=Count("pk"))
            .order_by()
        )

    def records(self, *, numerator: bool, scope_type: str = "authority", scope_id=None):
        """The events themselves (for drill-down lists): the denominator, or the numerator."""
        qs = self.qs if scope_type == "authority" else self._scoped()
        if scope_type == "team":
            qs = qs.filter(scope_team=scope_id)
        elif scope_type == "worker":
            qs = qs.filter(scope_worker=scope_id)
        if numerator:
            qs = qs.filter(self.num)
        qs = qs.annotate(event_on=F(self.on))
        if (start := self.clock_start()) is not None:
            qs = qs.annotate(clock_from=F(start))
        return qs.order_by(self.on, "pk")

    def clock_start(self) -> str | None:
        """The field the drill-down counts working days from: the KPI's own clock, else
        the episode's referral where the event belongs to one."""
        if self.clock is not FROM_REFERRAL:
            return self.clock.start if self.clock else None
        if self.episode == "pk":
            return "referred_on"
        fields = {f.name for f in self.qs.model._meta.get_fields()}
        return FROM_REFERRAL.start if "referral" in fields else None


def _flow(qs: QuerySet, on: str, num: Q, *, scoped: bool = True, episode="referral",
             team=None, worker=None, clock=FROM_REFERRAL, own_worker=None) -> Flow:  # fmt: skip
    return Flow(qs, on, num, scopable=scoped, episode=episode, team=team, worker=worker,
                clock=clock, own_worker=own_worker)  # fmt: skip


def _contacts(start: date, end: date):
    # Children, not families: one row per child on a contact (domain.md section 4).
    return (
        ContactChild.objects.filter(contact__entered_in_error=False, child__entered_in_error=False)
        .annotate(received_on=TruncDate("contact__received_at"))
        .filter(received_on__gte=start, received_on__lte=end)
    )


def contacts_screened_1wd(start, end) -> Flow:
    qs = _contacts(start, end).annotate(
        decided_on=TruncDate("contact__decided_at"),
        taken=working_days("received_on", "decided_on"),
    )
    num = Q(taken__lte=SCREENING_WORKING_DAYS)
    return _flow(qs, "received_on", num, scoped=False, clock=None)


def contact_conversion(start, end) -> Flow:
    became = Referral.objects.filter(contact_child=OuterRef("pk"), entered_in_error=False)
    qs = _contacts(start, end).annotate(converted=Exists(became))
    return _flow(qs, "received_on", Q(converted=True), scoped=False, clock=None)


def _referrals(start, end):
    return Referral.objects.filter(
        entered_in_error=False, referred_on__gte=start, referred_on__lte=end
    )


def referrals_nfa(start, end) -> Flow:
    return _flow(_referrals(start, end), "referred_on", Q(nfa=True), episode="pk")


def rereferrals_12m(start, end) -> Flow:
    # DfE: a referral within 12 months of the same child's previous referral. "Within"
    # counts from the earlier referral: later <= earlier + 12 months (clamped at month end).
    earlier = Referral.objects.filter(
        child=OuterRef("child"),
        entered_in_error=False,
        referred_on__lt=OuterRef("referred_on"),
    ).annotate(window_end=AddMonths(F("referred_on"), 12))
    earlier = earlier.filter(window_end__gte=OuterRef("referred_on"))
    qs = _referrals(start, end).annotate(repeat=Exists(earlier))
    return _flow(qs, "referred_on", Q(repeat=True), episode="pk")


def referral_to_assessment(start, end) -> Flow:
    assessed = Assessment.objects.filter(referral=OuterRef("pk"), entered_in_error=False)
    qs = _referrals(start, end).annotate(assessed=Exists(assessed))
    return _flow(qs, "referred_on", Q(assessed=True), episode="pk")


def rate_referrals_per_10k(start, end) -> Flow:
    return _flow(_referrals(start, end), "referred_on", Q(), scoped=False)


def _authorised_assessments(start, end):
    # One row per assessment: a returned-then-resubmitted assessment is still one row,
    # counted once, on its (final) authorisation date.
    return Assessment.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        status=Assessment.Status.AUTHORISED,
        authorised_on__gte=start,
        authorised_on__lte=end,
    )


def _assessment_scope():
    # The assessment's own worker when recorded; the team is the episode's allocation's.
    return {"own_worker": F("worker_id")}


def assessments_45wd_from_referral(start, end) -> Flow:
    qs = _authorised_assessments(start, end).annotate(
        taken=working_days(FROM_REFERRAL.start, "authorised_on")
    )
    num = Q(taken__lte=ASSESSMENT_WORKING_DAYS)
    return _flow(qs, "authorised_on", num, **_assessment_scope())


def assessments_45wd_dfe(start, end) -> Flow:
    qs = _authorised_assessments(start, end).annotate(
        taken=working_days(FROM_ASSESSMENT_START.start, "authorised_on")
    )
    num = Q(taken__lte=ASSESSMENT_WORKING_DAYS)
    return _flow(qs, "authorised_on", num, clock=FROM_ASSESSMENT_START, **_assessment_scope())


def assessments_nfa(start, end) -> Flow:
    qs = _authorised_assessments(start, end)
    num = Q(outcome=AssessmentOutcome.NFA)
    return _flow(qs, "authorised_on", num, **_assessment_scope())


def s47_to_icpc(start, end) -> Flow:
    qs = Section47Enquiry.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        ended_on__gte=start,
        ended_on__lte=end,
    )
    return _flow(qs, "ended_on", Q(outcome=S47Outcome.ICPC))


def rate_s47_per_10k(start, end) -> Flow:
    # DfE counts section 47 enquiries that started in the period.
    qs = Section47Enquiry.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        started_on__gte=start,
        started_on__lte=end,
    )
    return _flow(qs, "started_on", Q(), scoped=False)


def _icpcs(start, end):
    # Initial conferences that followed a section 47 enquiry; transfer-in conferences
    # (a child arriving on another authority's plan) have no enquiry and are left out.
    return ChildProtectionConference.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        kind=ConferenceKind.INITIAL,
        transfer_in=False,
        s47__isnull=False,
        held_on__gte=start,
        held_on__lte=end,
    )


def icpc_15wd(start, end) -> Flow:
    qs = _icpcs(start, end).annotate(taken=working_days(FROM_STRATEGY_DISCUSSION.start, "held_on"))
    return _flow(qs, "held_on", Q(taken__lte=ICPC_WORKING_DAYS), clock=FROM_STRATEGY_DISCUSSION)


def icpc_to_plan(start, end) -> Flow:
    plan = ChildProtectionPlan.objects.filter(icpc=OuterRef("pk"), entered_in_error=False)
    qs = _icpcs(start, end).annotate(planned=Exists(plan))
    return _flow(qs, "held_on", Q(planned=True))


def cp_reviews_in_time(start, end) -> Flow:
    qs = ChildProtectionConference.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        kind=ConferenceKind.REVIEW,
        held_on__gte=start,
        held_on__lte=end,
    )
    return _flow(qs, "held_on", Q(held_on__lte=F("due_on")))


def _plans_started(start, end):
    return ChildProtectionPlan.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        started_on__gte=start,
        started_on__lte=end,
    )


def _earlier_plans():
    return ChildProtectionPlan.objects.filter(
        child=OuterRef("child"),
        entered_in_error=False,
        started_on__lt=OuterRef("started_on"),
    )


def cp_repeat_plans(start, end) -> Flow:
    # DfE: a second or subsequent plan, whenever the earlier one was.
    qs = _plans_started(start, end).annotate(repeat=Exists(_earlier_plans()))
    return _flow(qs, "started_on", Q(repeat=True))


def cp_repeat_plans_2y(start, end) -> Flow:
    # Seed 000: a new plan starting within two years of the end of an earlier plan.
    recent = (
        _earlier_plans()
        .filter(ended_on__isnull=False)
        .annotate(window_end=AddMonths(F("ended_on"), 24))
        .filter(window_end__gte=OuterRef("started_on"))
    )
    qs = _plans_started(start, end).annotate(repeat=Exists(recent))
    return _flow(qs, "started_on", Q(repeat=True))


def _plans_ended(start, end):
    return ChildProtectionPlan.objects.filter(
        entered_in_error=False,
        referral__entered_in_error=False,
        ended_on__gte=start,
        ended_on__lte=end,
    )


def cp_ended_2y_plus(start, end) -> Flow:
    qs = _plans_ended(start, end).annotate(two_years=AddMonths(F("started_on"), 24))
    return _flow(qs, "ended_on", Q(ended_on__gte=F("two_years")))


def cp_ended_under_3m(start, end) -> Flow:
    qs = _plans_ended(start, end).annotate(three_months=AddMonths(F("started_on"), 3))
    return _flow(qs, "ended_on", Q(ended_on__lt=F("three_months")))

"""KPIs of early help and the whole front door (issue 22), computed as flows.

Each function returns a ``metrics.kpis.flows.Flow`` (one aggregate query by month), like
the registry's other flow KPIs; the definitions are in ``metrics.registry``. They are
authority-wide: early help is not allocated to social care teams.

- An early help episode is "open on day D" when requested on or before D and not closed
  on or before D (the stocks' rule: start <= D < end): ``earlyhelp/predicates.py``.
- The screening standard is the authority's, read by ``casework.timescales``, whose due
  date for a contact is the one this KPI times against.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    When,
)
from django.db.models.functions import TruncDate

from casework import timescales
from casework.predicates import contact_progressed
from earlyhelp.codes import STEP_DOWN_ROUTES, ClosureReason
from earlyhelp.predicates import live_episodes, open_early_help_at_contact
from metrics.kpis.flows import Flow, _contacts
from metrics.kpis.sql import AddMonths, is_working_day, next_working_day, ordinal
from referrals.models import Referral

EVERY_ROW = Q(pk__isnull=False)


def _flow(qs, on: str, num: Q) -> Flow:
    return Flow(qs, on, num, scopable=False)


def _assessments_started(start: date, end: date) -> Flow:
    qs = live_episodes().filter(assessment_started_on__gte=start, assessment_started_on__lte=end)
    return _flow(qs, "assessment_started_on", EVERY_ROW)


def early_help_assessments(start, end) -> Flow:
    return _assessments_started(start, end)


def rate_early_help_per_10k(start, end) -> Flow:
    return _assessments_started(start, end)


def _closures(start, end):
    return live_episodes().filter(closed_on__gte=start, closed_on__lte=end)


def early_help_closed_needs_met(start, end) -> Flow:
    return _flow(_closures(start, end), "closed_on", Q(closure_reason=ClosureReason.NEEDS_MET))


def early_help_stepped_up_12m(start, end) -> Flow:
    """Early help closed in the period (other than by stepping up, which is the referral
    itself) followed by a social care referral within 12 months of the closure."""
    later = Referral.objects.filter(
        child=OuterRef("child"), entered_in_error=False, referred_on__gt=OuterRef("closed_on")
    ).annotate(window_start=AddMonths(F("referred_on"), -12))
    later = later.filter(window_start__lte=OuterRef("closed_on"))
    qs = (
        _closures(start, end)
        .exclude(closure_reason=ClosureReason.STEPPED_UP)
        .annotate(came_back=Exists(later))
    )
    return _flow(qs, "closed_on", Q(came_back=True))


def stepdown_to_early_help(start, end) -> Flow:
    qs = live_episodes().filter(requested_on__gte=start, requested_on__lte=end)
    return _flow(qs, "requested_on", Q(route__in=STEP_DOWN_ROUTES))


def contacts_by_source(start, end) -> Flow:
    """All sources together; ``earlyhelp.kpi_contact_sources`` splits it by source."""
    return _flow(_contacts(start, end), "received_on", contact_progressed())


def contacts_open_early_help(start, end) -> Flow:
    qs = _contacts(start, end).annotate(open_early_help=open_early_help_at_contact())
    return _flow(qs, "received_on", Q(open_early_help=True))


class StartOfDay(Func):
    """A date's local midnight as a timestamp (the screening clock's start on a day)."""

    output_field = DateTimeField()

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::timestamp AT TIME ZONE %s)", [*params, settings.TIME_ZONE]

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"datetime({sql})", params


def contacts_screened_in_standard(start, end) -> Flow:
    """Children on contacts received in the period whose screening decision came within
    the authority's standard: the rule of ``casework.timescales.screening_due_on`` and
    ``screening_due_at`` (the contact's stored due date), counted set-based here.

    Working days: decided on or before the N-th working day from the receipt date (0 = the
    same working day), a decision on a non-working day counting as the working day before
    it; with the "working day" clock a contact received on a non-working day is timed from
    the next working day. Hours: decided at or before N hours from receipt, or from local
    midnight of the next working day with that clock. A test holds the two to one answer.
    """
    standard = timescales.screening_standard()
    unit, amount, clock = standard.unit, standard.amount, standard.clock
    received_working = is_working_day("received_on")
    qs = _contacts(start, end).annotate(
        decided_on=TruncDate("contact__decided_at"), received_working=received_working
    )
    if unit == "hours":
        clock_from = F("contact__received_at")
        if clock == "working_day":
            clock_from = Case(
                When(received_working=True, then=F("contact__received_at")),
                default=StartOfDay(next_working_day("received_on")),
                output_field=DateTimeField(),
            )
        taken = ExpressionWrapper(F("contact__decided_at") - clock_from, DurationField())
        qs = qs.annotate(taken=taken)
        return _flow(qs, "received_on", Q(taken__lte=timedelta(hours=amount)))
    # Ordinals count working days up to and including a date, so a non-working day has
    # the previous working day's: timed from the next working day, it has one more.
    qs = qs.annotate(taken=ordinal("decided_on") - ordinal("received_on"))
    if clock == "working_day":
        num = Q(received_working=True, taken__lte=amount) | Q(
            received_working=False, taken__lte=amount + 1
        )
    else:
        num = Q(taken__lte=amount)
    return _flow(qs, "received_on", num)

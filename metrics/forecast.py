"""Forecasts: the records that will breach a timeliness KPI in the next 10 working days
unless a step is recorded, and the KPI's projected period-end value.

For each timeliness KPI a ``Watch`` names the open records whose deadline is in the
horizon (today up to the 10th working day after today, on the working-day calendar, so
bank holidays stretch it), each attributed to the allocation current today.

Projections for the period (the current month unless another is asked for):

- ``projected_value``: if nothing changes. No step is recorded, so the at-risk records
  never enter a KPI dated by the step (an authorisation, a conference, a visit): the
  value is the period's figure from the records as they stand. Hence a forecast made on
  a period's last day equals the value measured once the period closes, for the records
  that stayed untouched.
- ``projected_value_if_all_on_time``: every at-risk record whose step would be dated in
  the period is done on its due date and joins the numerator (and the denominator, where
  it is not counted there already).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import (
    CharField,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from casework import calendar
from casework.models import (
    Allocation,
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    CoreGroup,
    S47Outcome,
    Section47Enquiry,
)
from casework.predicates import allocation_open_on
from casework.timescales import CORE_GROUP_WORKING_DAYS, cp_visit_standard
from metrics import periods as P
from metrics.kpis import seed_measures
from metrics.kpis.sql import AddMonths
from metrics.models import ScopeType
from metrics.registry import get
from metrics.selectors import format_scope

HORIZON_WORKING_DAYS = 10
UNKNOWN_KPI = "No forecast for {code}: forecasts cover {codes}"


STEP_LABELS = {
    "assessment": "Assessment to authorise",
    "icpc": "Initial conference to hold",
    "review": "Review conference to hold",
    "visit": "Statutory visit to make",
    "core_group": "First core group to hold",
}


@dataclass(frozen=True)
class AtRisk:
    kind: str
    record_id: int
    child_id: int
    referral_id: int
    due_on: date
    working_days_left: int
    team_id: int | None
    worker_id: int | None
    # The date the KPI would count the record on if the step is done on time.
    counted_on: date

    @property
    def step(self) -> str:
        return STEP_LABELS[self.kind]


@dataclass(frozen=True)
class Forecast:
    kpi: str
    scope: str
    period: P.Period
    horizon_end: date
    at_risk: list[AtRisk]
    projected_value: Decimal | None
    projected_value_if_all_on_time: Decimal | None

    def as_json(self) -> dict:
        """The ``kpi_forecast`` contract: exactly these keys."""
        return {
            "kpi": self.kpi,
            "scope": self.scope,
            "horizon_working_days": HORIZON_WORKING_DAYS,
            "at_risk": [
                {
                    **asdict(r),
                    "due_on": r.due_on.isoformat(),
                    "counted_on": r.counted_on.isoformat(),
                }
                for r in self.at_risk
            ],
            "projected_value": _number(self.projected_value),
            "projected_value_if_all_on_time": _number(self.projected_value_if_all_on_time),
        }


def _risk_json(risk: AtRisk) -> dict:
    return {**asdict(risk), "due_on": risk.due_on.isoformat(),
            "counted_on": risk.counted_on.isoformat()}  # fmt: skip


def _number(value: Decimal | None):
    return None if value is None else float(value)


@dataclass(frozen=True)
class Watch:
    """Open records of one timeliness KPI: a queryset annotated with ``due`` (or a due
    date computed per row by ``due_of``) and whether the KPI counts the record in its
    denominator before the step is done (a start cohort) or only once it is done."""

    kind: str
    rows: Callable[[date, date], QuerySet]
    counted_before_done: bool = False
    due_of: Callable[[object], date] | None = None
    counted_on_of: Callable[[object], date] | None = None


def _current(prefix: str = "") -> Q:
    return Q(**{f"{prefix}entered_in_error": False, f"{prefix}referral__entered_in_error": False})


def _open_assessments(field: str):
    def rows(today, until):
        return Assessment.objects.filter(
            _current(), authorised_on__isnull=True, **{f"{field}__gte": today,
                                                        f"{field}__lte": until}
        ).exclude(status=Assessment.Status.AUTHORISED).annotate(due=F(field))  # fmt: skip

    return rows


def _enquiries_awaiting_icpc(today, until):
    held = ChildProtectionConference.objects.filter(
        s47=OuterRef("pk"), held_on__isnull=False, entered_in_error=False
    )
    return (
        Section47Enquiry.objects.filter(_current(), icpc_due_on__gte=today, icpc_due_on__lte=until)
        .filter(Q(ended_on__isnull=True) | Q(outcome=S47Outcome.ICPC))
        .exclude(Exists(held))
        .annotate(due=F("icpc_due_on"))
    )


def _active_plans():
    return ChildProtectionPlan.objects.filter(_current(), ended_on__isnull=True)


def _plans_awaiting_review(today, until):
    last = (
        ChildProtectionConference.objects.filter(
            plan=OuterRef("pk"), kind=ConferenceKind.REVIEW, entered_in_error=False,
            held_on__isnull=False,
        ).values("plan").annotate(last=Max("held_on")).values("last")
    )  # fmt: skip
    return (
        _active_plans()
        .annotate(last_review=Subquery(last, output_field=DateField()))
        .annotate(
            due=Coalesce(
                AddMonths(F("last_review"), seed_measures.LATER_REVIEW_MONTHS),
                AddMonths(F("started_on"), seed_measures.FIRST_REVIEW_MONTHS),
                output_field=DateField(),
            )
        )
        .filter(due__gte=today, due__lte=until)
    )


def _plans_awaiting_visit(today, until):
    seen = (
        seed_measures._cp_visits_seen_by_social_worker()
        .filter(cp_plan=OuterRef("pk"), visited_on__lte=today)
        .values("cp_plan").annotate(last=Max("visited_on")).values("last")
    )  # fmt: skip
    return _active_plans().annotate(
        last_seen=Subquery(seen, output_field=DateField()),
        standard=Coalesce(
            F("visit_standard_working_days"),
            Value(cp_visit_standard()),
            output_field=IntegerField(),
        ),
    )


def _visit_due(plan) -> date:
    since = max(plan.last_seen or plan.started_on, plan.started_on)
    return calendar.add_working_days(since, plan.standard)


def _plans_awaiting_core_group(today, until):
    # A plan's first core group is due 10 working days after it starts: only plans
    # started in the last few weeks can fall due in the horizon.
    held = CoreGroup.objects.filter(plan=OuterRef("pk"), entered_in_error=False)
    return _active_plans().filter(started_on__gte=today - timedelta(days=45)).exclude(Exists(held))


WATCHES: dict[str, Watch] = {
    "assessments_45wd_from_referral": Watch("assessment", _open_assessments("due_on")),
    "assessments_45wd_dfe": Watch("assessment", _open_assessments("dfe_due_on")),
    "icpc_15wd": Watch("icpc", _enquiries_awaiting_icpc),
    "cp_reviews_in_time": Watch("review", _plans_awaiting_review),
    "cp_visits_in_time": Watch("visit", _plans_awaiting_visit, due_of=_visit_due),
    "first_core_group_10wd": Watch(
        "core_group",
        _plans_awaiting_core_group,
        counted_before_done=True,
        due_of=lambda plan: calendar.add_working_days(plan.started_on, CORE_GROUP_WORKING_DAYS),
        counted_on_of=lambda plan: plan.started_on,
    ),
}
CODES = tuple(WATCHES)


def _allocation_today(field: str, today: date) -> Subquery:
    current = Allocation.objects.filter(
        allocation_open_on(today), referral=OuterRef("referral"), entered_in_error=False
    )
    return Subquery(
        current.order_by("-started_on", "-pk").values(field)[:1], output_field=IntegerField()
    )


def _allocated_today(today: date, **scope) -> Q:
    """Episodes with an allocation to the scope current today: implied by the scope's
    condition (the latest such allocation is the scope's), and an indexed set, so a
    worker's or team's forecast reads their episodes, not every open record (issue 25)."""
    current = Allocation.objects.filter(allocation_open_on(today), entered_in_error=False, **scope)
    return Q(referral__in=current.order_by().values("referral"))


def _scoped_rows(code: str, today: date, until: date, scope_type, scope_id) -> QuerySet:
    rows = (
        WATCHES[code]
        .rows(today, until)
        .annotate(
            scope_team=_allocation_today("team_id", today),
            scope_worker=_allocation_today("worker_id", today),
        )
    )
    if scope_type == ScopeType.TEAM:
        rows = rows.filter(_allocated_today(today, team=scope_id), scope_team=scope_id)
    elif scope_type == ScopeType.WORKER:
        rows = rows.filter(_allocated_today(today, worker=scope_id), scope_worker=scope_id)
    return rows


def _risks(code: str, rows, today: date, until: date) -> list[AtRisk]:
    """The rows due in the horizon as AtRisk, soonest first. A row needs ``pk``,
    ``child_id``, ``referral_id``, ``scope_team``, ``scope_worker`` and what the watch's
    due date comes from (``due``, or the fields ``due_of`` reads)."""
    watch = WATCHES[code]
    found = []
    for row in rows:
        due = watch.due_of(row) if watch.due_of else row.due
        if not today <= due <= until:
            continue
        counted_on = watch.counted_on_of(row) if watch.counted_on_of else due
        found.append(
            AtRisk(
                kind=watch.kind, record_id=row.pk, child_id=row.child_id,
                referral_id=row.referral_id, due_on=due,
                working_days_left=calendar.working_days_between(today, due),
                team_id=row.scope_team, worker_id=row.scope_worker, counted_on=counted_on,
            )
        )  # fmt: skip
    found.sort(key=lambda r: (r.due_on, r.child_id, r.record_id))
    return found


def at_risk(code: str, *, today: date, scope_type=ScopeType.AUTHORITY, scope_id=None):
    """The records of ``code`` due from today to the horizon's end, soonest first."""
    if code not in WATCHES:
        raise KeyError(UNKNOWN_KPI.format(code=code, codes=", ".join(CODES)))
    until = calendar.add_working_days(today, HORIZON_WORKING_DAYS)
    rows = _scoped_rows(code, today, until, scope_type, scope_id)
    return _risks(code, rows, today, until), until


# The columns every watch's rows are projected to, so that all of them are read in one
# UNION ALL statement (My work and the authorisation queue show every timeliness KPI's
# records at risk: one query, not one per KPI). Fields a watch has no use for are null.
_COLUMNS = {
    "pk": IntegerField(),
    "child_id": IntegerField(),
    "referral_id": IntegerField(),
    "due": DateField(),
    "started_on": DateField(),
    "last_seen": DateField(),
    "standard": IntegerField(),
    "scope_team": IntegerField(),
    "scope_worker": IntegerField(),
}


def _projected(code: str, rows: QuerySet) -> QuerySet:
    have = set(rows.query.annotations) | {f.attname for f in rows.model._meta.concrete_fields}
    columns = {"r_code": Value(code, output_field=CharField())}
    for name, field in _COLUMNS.items():
        source = "id" if name == "pk" else name
        # A typed NULL: UNION ALL matches column types across its branches.
        columns[f"r_{name}"] = F(source) if source in have else Cast(Value(None), field)
    return rows.order_by().annotate(**columns).values_list(*columns)


def at_risk_all(*, today: date, scope_type=ScopeType.AUTHORITY, scope_id=None):
    """Every timeliness KPI's records at risk in one statement: {code: [AtRisk]}."""
    until = calendar.add_working_days(today, HORIZON_WORKING_DAYS)
    first, *others = [
        _projected(code, _scoped_rows(code, today, until, scope_type, scope_id)) for code in CODES
    ]
    by_code: dict[str, list] = {code: [] for code in CODES}
    for code, *values in first.union(*others, all=True):
        by_code[code].append(SimpleNamespace(**dict(zip(_COLUMNS, values, strict=True))))
    return {code: _risks(code, rows, today, until) for code, rows in by_code.items()}, until


def _measured(code: str, period: P.Period, today: date, scope_type, scope_id):
    """Numerator and denominator of the period from the records as they stand today."""
    end = min(period.end, today)
    if end < period.start:
        return 0, 0
    definition = get(code)
    num = den = 0
    for row in definition.compute(period.start, end).rows(scoped=scope_type != "authority"):
        if scope_type == ScopeType.TEAM and row["scope_team"] != scope_id:
            continue
        if scope_type == ScopeType.WORKER and row["scope_worker"] != scope_id:
            continue
        num, den = num + row["num"], den + row["den"]
    return num, den


def _value(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(100) * num / den).quantize(Decimal("0.0001"))


def kpi_forecast(
    code: str,
    *,
    today: date,
    scope_type: str = ScopeType.AUTHORITY,
    scope_id: int | None = None,
    period: P.Period | None = None,
) -> Forecast:
    period = period or P.month(today)
    risks, until = at_risk(code, today=today, scope_type=scope_type, scope_id=scope_id)
    num, den = _measured(code, period, today, scope_type, scope_id)
    in_period = sum(1 for r in risks if period.contains(r.counted_on))
    counted = WATCHES[code].counted_before_done
    return Forecast(
        kpi=code,
        scope=format_scope(scope_type, scope_id),
        period=period,
        horizon_end=until,
        at_risk=risks,
        projected_value=_value(num, den),
        projected_value_if_all_on_time=_value(num + in_period, den + (0 if counted else in_period)),
    )

"""Children-in-care KPIs (care.md section 4), set-based like the others.

Stocks (a position at each period end) run one SQL statement for every date through
``metrics.kpis.stocks.Stock``; flows (events dated in the period) are ``Flow`` querysets
grouped by month. Short breaks (legal status V3/V4) are left out everywhere, as in the
DfE statistics. A child is looked after at E when an episode is open at E: started on
or before E and not ended on or before E (a child who ceased on 31 March is not
looked after at 31 March).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q

from care.codes import (
    ADOPTION_PLACEMENTS,
    IN_EET,
    PERMANENCE_REASONS,
    SHORT_BREAKS,
    TEMPORARY_PLACEMENTS,
)
from care.models import (
    AdoptionPlan,
    CareEpisode,
    CarePeriod,
    CareReview,
    CareVisit,
    EducationPlan,
    HealthCheck,
    MissingEpisode,
    Placement,
)
from casework.models import Child
from metrics.kpis import oc3
from metrics.kpis.flows import Flow
from metrics.kpis.sql import add_months_sql
from metrics.kpis.stocks import Stock, _open_at

T_EPISODE = CareEpisode._meta.db_table
T_PERIOD = CarePeriod._meta.db_table
T_PLACEMENT = Placement._meta.db_table
T_CHECK = HealthCheck._meta.db_table
T_CHILD = Child._meta.db_table


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _months(column: str, months: int) -> str:
    return add_months_sql(column, months, connection.vendor)


def _looked_after(numerator: str = "1 = 1", numerator_params=(), *, where: str = "",
                  where_params=()) -> Stock:  # fmt: skip
    """Children looked after at each date (one open, non-short-break episode each)."""
    joins = (
        f"{_open_at(T_EPISODE, 'e', 'started_on', 'ended_on')} "
        f"JOIN {T_PERIOD} p ON p.id = e.period_id AND p.entered_in_error = %s "
        f"JOIN {T_PLACEMENT} pl ON pl.id = e.placement_id "
        f"JOIN {T_CHILD} c ON c.id = e.child_id"
    )
    clause = f"e.entered_in_error = %s AND e.legal_status NOT IN ({_marks(SHORT_BREAKS)})"
    return Stock(
        joins, [False], clause + (f" AND {where}" if where else ""),
        [False, *SHORT_BREAKS, *where_params], "e.child_id", numerator, tuple(numerator_params),
    )  # fmt: skip


def _placements_in_year() -> str:
    """Counted placements of the child live at any time in the 12 months to the date."""
    return f"""(SELECT COUNT(*) FROM {T_PLACEMENT} q
        WHERE q.child_id = e.child_id AND q.entered_in_error = %s AND q.superseded = %s
          AND q.place NOT IN ({_marks(TEMPORARY_PLACEMENTS)})
          AND q.started_on <= d.date
          AND (q.ended_on IS NULL OR q.ended_on > {_months("d.date", -12)}))"""


def _cla_placements_3plus() -> Stock:
    return _looked_after(f"{_placements_in_year()} >= 3", [False, False, *TEMPORARY_PLACEMENTS])


def _cla_long_term_stability() -> Stock:
    # Under 16 and looked after for 2.5 years or more at E; in the same placement for 2
    # years, or placed for adoption after a placement that, with it, lasted 2 years.
    two_years_ago = _months("d.date", -24)
    prior = f"""EXISTS (SELECT 1 FROM {T_PLACEMENT} pr WHERE pr.child_id = e.child_id
        AND pr.entered_in_error = %s AND pr.superseded = %s AND pr.ended_on = pl.started_on
        AND pr.started_on <= {two_years_ago})"""
    numerator = (
        f"(pl.started_on <= {two_years_ago} OR "
        f"(pl.place IN ({_marks(ADOPTION_PLACEMENTS)}) AND {prior}))"
    )
    where = (
        f"{_months('c.date_of_birth', 16 * 12)} > d.date "
        f"AND p.started_on <= {_months('d.date', -30)}"
    )
    return _looked_after(numerator, [*ADOPTION_PLACEMENTS, False, False], where=where)


def _cla_dental_checks() -> Stock:
    # OC2 cohort: looked after continuously for 12 months or more at E; a dental check
    # in the 12 months to E.
    checked = f"""EXISTS (SELECT 1 FROM {T_CHECK} h WHERE h.child_id = e.child_id
        AND h.entered_in_error = %s AND h.kind = %s AND h.done_on <= d.date
        AND h.done_on > {_months("d.date", -12)})"""
    return _looked_after(
        checked, [False, "dental"], where=f"p.started_on <= {_months('d.date', -12)}"
    )


def _with_zeros(stock: Stock, dates: list[date]) -> list[dict]:
    """No child looked after at a date is a figure (0), not a missing one."""
    rows = stock.aggregate(dates)
    seen = {row["at"] for row in rows}
    zero = {"scope_team": None, "scope_worker": None, "num": 0, "den": 0}
    return rows + [{"at": d, **zero} for d in dates if d not in seen]


def cla_count(dates: list[date], *, scoped=False):
    return _with_zeros(_looked_after(), dates)


def rate_cla_per_10k(dates: list[date], *, scoped=False):
    return _with_zeros(_looked_after(), dates)


def cla_placements_3plus(dates: list[date], *, scoped=False):
    return _with_zeros(_cla_placements_3plus(), dates)


def cla_long_term_stability(dates: list[date], *, scoped=False):
    return _with_zeros(_cla_long_term_stability(), dates)


def cla_dental_checks(dates: list[date], *, scoped=False):
    return _with_zeros(_cla_dental_checks(), dates)


STOCKS = {
    "cla_count": _looked_after,
    "rate_cla_per_10k": _looked_after,
    "cla_placements_3plus": _cla_placements_3plus,
    "cla_long_term_stability": _cla_long_term_stability,
    "cla_dental_checks": _cla_dental_checks,
}


# Flows: scoped to the worker holding the period of care (and that worker's team).


def _flow(qs, on: str, num: Q, *, via: str = "period__") -> Flow:
    return Flow(qs, on, num, team=F(f"{via}worker__team_id"), worker=F(f"{via}worker_id"))


def _short_break_start():
    return CareEpisode.objects.filter(
        period=OuterRef("pk"), reason_new_episode="S", legal_status__in=SHORT_BREAKS
    )


def _periods():
    return CarePeriod.objects.filter(entered_in_error=False).exclude(Exists(_short_break_start()))


def cla_started(start, end) -> Flow:
    qs = _periods().filter(started_on__gte=start, started_on__lte=end)
    return _flow(qs, "started_on", Q(), via="")


def cla_ceased(start, end) -> Flow:
    qs = _periods().filter(ended_on__gte=start, ended_on__lte=end)
    return _flow(qs, "ended_on", Q(), via="")


def _events(model, on: str, start, end, **filters):
    return model.objects.filter(
        entered_in_error=False, period__entered_in_error=False,
        **{f"{on}__gte": start, f"{on}__lte": end}, **filters,
    )  # fmt: skip


def cla_reviews_in_time(start, end) -> Flow:
    qs = _events(CareReview, "held_on", start, end)
    return _flow(qs, "held_on", Q(held_on__lte=F("due_on")))


def cla_visits_in_time(start, end) -> Flow:
    qs = _events(CareVisit, "visited_on", start, end, child_seen=True)
    return _flow(qs, "visited_on", Q(visited_on__lte=F("due_on")))


def cla_health_assessments_in_time(start, end) -> Flow:
    qs = _events(HealthCheck, "done_on", start, end, kind__in=["initial", "review"],
                 due_on__isnull=False)  # fmt: skip
    return _flow(qs, "done_on", Q(done_on__lte=F("due_on")))


def cla_pep_in_time(start, end) -> Flow:
    qs = _events(EducationPlan, "held_on", start, end)
    return _flow(qs, "held_on", Q(held_on__lte=F("due_on")))


def cla_missing_episodes(start, end) -> Flow:
    qs = _events(MissingEpisode, "started_on", start, end)
    return _flow(qs, "started_on", Q())


# Care leavers: the SSDA903 OC3 cohort (``metrics.kpis.oc3``, the rows the return sends),
# counted in the month of the birthday reported on and scoped to the worker holding the care
# leaver. The DfE's figures leave out young people who died or went home to their parents for
# 6 months or more (the cohort already leaves out transfers to another LA and short breaks).
NOT_COUNTED = ("DIED", "RHOM")


@dataclass
class _Windowed(Flow):
    """A flow defined on windows of at most 12 months (the OC3 cohort): a longer span's rows
    are its windows' rows (a drill-down's period is one window)."""

    more: tuple = ()

    def rows(self, *, scoped: bool):
        out = list(super().rows(scoped=scoped))
        for flow in self.more:
            out += list(flow.rows(scoped=scoped))
        return out


def _leaver_flow(start, end, ages, num: Q) -> Flow:
    flows = [
        _Windowed(
            oc3.cohort(a, b).filter(oc3_age__in=ages).exclude(oc3_in_touch__in=NOT_COUNTED),
            "oc3_birthday", num, team=F("worker__team_id"), worker=F("worker_id"), clock=None,
        )
        for a, b in oc3.windows(start, end) or [(start, end)]
    ]  # fmt: skip
    first, *more = flows
    first.more = tuple(more)
    return first


OLDER, YOUNGER = (19, 20, 21), (17, 18)


def care_leavers_in_touch(start, end) -> Flow:
    return _leaver_flow(start, end, OLDER, Q(oc3_in_touch="YES"))


def care_leavers_eet_17_18(start, end) -> Flow:
    return _leaver_flow(start, end, YOUNGER, Q(oc3_activity__in=IN_EET))


def care_leavers_eet_19_21(start, end) -> Flow:
    return _leaver_flow(start, end, OLDER, Q(oc3_activity__in=IN_EET))


def care_leavers_suitable_accommodation_19_21(start, end) -> Flow:
    return _leaver_flow(start, end, OLDER, Q(oc3_accommodation__endswith="1"))


def cla_ceased_permanence(start, end) -> Flow:
    qs = _periods().filter(ended_on__gte=start, ended_on__lte=end)
    return _flow(qs, "ended_on", Q(reason_ceased__in=PERMANENCE_REASONS), via="")


class DaysBetween(Func):
    """Whole days from one date to another (PostgreSQL date subtraction; SQLite julianday)."""

    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        a, pa = compiler.compile(self.source_expressions[0])
        b, pb = compiler.compile(self.source_expressions[1])
        return f"({b} - {a})", [*pa, *pb]

    def as_sqlite(self, compiler, connection, **extra):
        a, pa = compiler.compile(self.source_expressions[0])
        b, pb = compiler.compile(self.source_expressions[1])
        return f"CAST(julianday({b}) - julianday({a}) AS INTEGER)", [*pa, *pb]


def _adopted(start, end):
    # Children adopted in the period (the adoption order), as the DfE scorecard counts them.
    return AdoptionPlan.objects.filter(
        entered_in_error=False, period__entered_in_error=False,
        adopted_on__gte=start, adopted_on__lte=end,
    )  # fmt: skip


def _mean_days(periods, qs, start_field: str, end_field: str) -> dict:
    """{period: {authority: (total days, children)}} for children adopted in each period: one
    query for the span, folded into the periods (a mean of days is not a count to drill into).
    """
    lo, hi = min(p.start for p in periods), max(p.end for p in periods)
    rows = list(
        qs(lo, hi)
        .filter(**{f"{start_field}__isnull": False, f"{end_field}__isnull": False})
        .annotate(days=DaysBetween(F(start_field), F(end_field)))
        .values_list("adopted_on", "days")
    )
    out = {}
    for p in periods:
        inside = [days for on, days in rows if p.start <= on <= p.end]
        out[p.name] = {("authority", None): (sum(inside), len(inside))}
    return out


def adoption_a1_days(periods) -> dict:
    # Entering care (the period's start) to moving in with the adopters.
    return _mean_days(periods, _adopted, "period__started_on", "placed_on")


def adoption_a2_days(periods) -> dict:
    # The placement order to the match with the adopters.
    return _mean_days(periods, _adopted, "placement_order_on", "matched_on")

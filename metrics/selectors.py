"""Reads of KPI snapshots, targets and comparators for pages, exports and commands.

Each selector is a fixed number of queries whatever the number of KPIs, teams or rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import DateField, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from casework.models import Allocation, Child, Team, Worker
from metrics import periods as P
from metrics.models import KpiComparator, KpiSnapshot, KpiTarget, ScopeType
from referrals.models import Referral

SCOPE_INVALID = "Enter a scope like authority, team:12 or worker:34"


class ScopeError(ValueError):
    pass


def parse_scope(text: str) -> tuple[str, int | None]:
    """'authority', 'team:12' or 'worker:34' -> (scope_type, scope_id)."""
    text = (text or "").strip()
    if text == ScopeType.AUTHORITY:
        return ScopeType.AUTHORITY.value, None
    kind, _, ident = text.partition(":")
    if kind in (ScopeType.TEAM, ScopeType.WORKER) and ident.isdigit():
        return kind, int(ident)
    raise ScopeError(SCOPE_INVALID)


def format_scope(scope_type: str, scope_id: int | None) -> str:
    return scope_type if scope_id is None else f"{scope_type}:{scope_id}"


def snapshot_list(
    *, periods: list[str], scope_type: str, scope_id: int | None = None
) -> QuerySet[KpiSnapshot]:
    """Snapshots of every KPI for the periods and one scope (one query)."""
    qs = KpiSnapshot.objects.filter(period__in=periods, scope_type=scope_type)
    qs = qs.filter(scope_id__isnull=True) if scope_id is None else qs.filter(scope_id=scope_id)
    return qs.order_by("kpi", "period_end")


def snapshot_trend(
    *, kpi: str, period_names: list[str], scope_type: str, scope_id: int | None = None
) -> QuerySet[KpiSnapshot]:
    return snapshot_list(periods=period_names, scope_type=scope_type, scope_id=scope_id).filter(
        kpi=kpi
    )


def dashboard_data(*, period: P.Period, scope_type: str, scope_id: int | None = None) -> dict:
    """Current and previous values, targets and comparators: three queries."""
    previous = period.previous()
    rows = snapshot_list(
        periods=[period.name, previous.name], scope_type=scope_type, scope_id=scope_id
    )
    current, before = {}, {}
    for row in rows:
        (current if row.period == period.name else before)[row.kpi] = row
    targets = {t.kpi: t for t in KpiTarget.objects.all()}
    comparators: dict[str, list[KpiComparator]] = {}
    for comparator in KpiComparator.objects.all():
        comparators.setdefault(comparator.kpi, []).append(comparator)
    return {
        "current": current,
        "previous": before,
        "targets": targets,
        "comparators": comparators,
        "previous_period": previous,
    }


def _rag(value, target, polarity: str) -> str | None:
    """Red/amber/green against a head of service's target (None without one)."""
    if value is None or target is None:
        return None
    if polarity == "lower":
        value, goal, amber = -value, -target.value, -target.amber_threshold
    else:
        goal, amber = target.value, target.amber_threshold
    if value >= goal:
        return "green"
    return "amber" if value >= amber else "red"


def _travel(current, previous, polarity: str) -> tuple[str, str]:
    """(arrow word, judgement) comparing this period with the previous one."""
    if current is None or previous is None:
        return "", ""
    if current == previous:
        return "same", "no change"
    word = "up" if current > previous else "down"
    if polarity not in ("higher", "lower"):
        return word, ""
    better = (current > previous) == (polarity == "higher")
    return word, "improving" if better else "worsening"


def dashboard_rows(*, period: P.Period, scope_type: str, scope_id: int | None = None) -> list:
    """Every KPI's row on the dashboard: definition, value, RAG, travel, comparators."""
    from metrics import comparators
    from metrics.coverage import data_coverage
    from metrics.registry import KPIS

    data = dashboard_data(period=period, scope_type=scope_type, scope_id=scope_id)
    coverage = data_coverage()
    rows = []
    for kpi in KPIS:
        if scope_type not in kpi.scopes:
            continue
        snap, before = data["current"].get(kpi.code), data["previous"].get(kpi.code)
        value = snap.value if snap else None
        previous = before.value if before else None
        target = data["targets"].get(kpi.code)
        word, judgement = _travel(value, previous, kpi.polarity)
        rows.append(
            {
                "kpi": kpi,
                "snapshot": snap,
                "value": value,
                "previous": previous,
                "target": target,
                "rag": _rag(value, target, kpi.polarity),
                "travel": word,
                "judgement": judgement,
                "comparators": comparators.for_period(
                    data["comparators"].get(kpi.code, []), period
                ),
                "annualised": comparators.annualised(kpi, period, value),
                "partial": coverage.partial_reason(kpi.code, period),
            }
        )
    return rows


def team_breakdown(*, kpi: str, period: str, teams=None) -> QuerySet[KpiSnapshot]:
    """Team snapshots of one KPI and period (only ``teams`` when given)."""
    qs = KpiSnapshot.objects.filter(kpi=kpi, period=period, scope_type=ScopeType.TEAM)
    if teams is not None:
        qs = qs.filter(scope_id__in=teams.values("pk"))
    return qs.order_by("scope_id")


def drilldown_records(
    *, kpi: str, period: P.Period, scope_type: str, scope_id: int | None, numerator: bool
):
    """The events behind a flow KPI's numerator or denominator, with their child.

    Stock KPIs (positions at a date) have no drill-down yet: returns None.
    """
    from metrics.registry import FLOW, get

    definition = get(kpi)
    if definition.kind != FLOW:
        return None
    flow = definition.compute(period.start, period.end)
    return flow_records(flow, scope_type=scope_type, scope_id=scope_id, numerator=numerator)


def flow_records(flow, *, scope_type: str, scope_id: int | None, numerator: bool):
    if scope_type != ScopeType.AUTHORITY and not flow.scopable:
        return flow.qs.none()
    records = flow.records(numerator=numerator, scope_type=scope_type, scope_id=scope_id)
    return records.select_related("child")


def worker_breakdown(*, kpi: str, period: str, teams=None) -> QuerySet[KpiSnapshot]:
    """Worker snapshots of one KPI and period (only workers of ``teams`` when given)."""
    qs = KpiSnapshot.objects.filter(kpi=kpi, period=period, scope_type=ScopeType.WORKER)
    if teams is not None:
        qs = qs.filter(scope_id__in=Worker.objects.filter(team__in=teams).values("pk"))
    return qs.order_by("scope_id")


def last_computed_at(rows: list[dict]):
    """When the figures a dashboard shows (``dashboard_rows``) were last calculated: the
    latest of their snapshots' times. No query: the latest time in the whole snapshot
    table was a scan that grew with the authority's history (150 ms at large, issue 25)."""
    return max((r["snapshot"].computed_at for r in rows if r["snapshot"]), default=None)


# Scopes a user may choose. Heads of service, auditors and administrators see every
# child, so every team and worker; a team manager's figures are for the teams whose
# children the visibility rule lets them see (the team they manage or work in), and the
# authority as a whole (a total names no child; its drill-down lists only their children).


def scope_teams(user) -> QuerySet[Team] | None:
    """The teams ``user`` may choose as a scope; None means every team."""
    if user.sees_everything:
        return None
    return Team.objects.filter(Q(workers__user=user.pk) | Q(manager__user=user.pk)).distinct()


def scope_options(user) -> list[tuple[str, str]]:
    teams = scope_teams(user)
    teams = Team.objects.filter(is_active=True) if teams is None else teams
    return [("authority", "Whole authority")] + [
        (f"team:{t.pk}", t.name) for t in teams.order_by("name")
    ]


def scope_allowed(user, scope_type: str, scope_id: int | None) -> bool:
    teams = scope_teams(user)
    if teams is None or scope_type == ScopeType.AUTHORITY:
        return True
    if scope_type == ScopeType.TEAM:
        return teams.filter(pk=scope_id).exists()
    return Worker.objects.filter(pk=scope_id, team__in=teams).exists()


@dataclass
class Drilldown:
    """The rows behind one figure: ``rows`` are events, children, episodes, allocations
    or workers (``member``); ``child_field`` leads from a row to its child (None for
    workers, who are staff, not children); ``population`` when the denominator is the
    child population, which lists no one."""

    member: str
    rows: QuerySet | None = None
    child_field: str | None = None
    date_label: str = "Date"
    population: bool = False
    # What the working-days column counts from (the flow KPI's clock; stocks: referral).
    clock_label: str = "referral"


_MEMBERS = {
    # member: (model, path to the child, date shown, its label)
    "child": (Child, "pk", None, "Position at"),
    "episode": (Referral, "child", "referred_on", "Referred"),
    "allocation": (Allocation, "child", "started_on", "Allocated"),
    "worker": (Worker, None, None, "In post at"),
}


def drilldown(
    *, kpi: str, period: P.Period, scope_type: str, scope_id: int | None, numerator: bool
) -> Drilldown | None:
    """The events, children or workers counted in a KPI's numerator or denominator.

    Flows list the events the aggregate counted (``Flow.records``); stocks and caseloads
    list the members of the same ``stocks.Stock`` their figure counted, at the period
    end (for the DfE caseload, the census date). Set-based: one subquery, no loops.
    """
    from metrics.kpis import caseload, stocks
    from metrics.registry import FLOW, RATE, get

    definition = get(kpi)
    if definition.unit == RATE and not numerator:
        return Drilldown(member="population", population=True)
    if definition.kind == FLOW:
        flow = definition.compute(period.start, period.end)
        rows = flow_records(flow, scope_type=scope_type, scope_id=scope_id, numerator=numerator)
        clock = flow.clock.label if flow.clock else ""
        return Drilldown(member="event", rows=rows, child_field="child", clock_label=clock)
    at = caseload.census_date(period) if kpi == "caseload_dfe" else period.end
    found = stocks.stock_for(kpi, numerator=numerator, scoped=scope_type != ScopeType.AUTHORITY)
    if found is None:
        return None
    stock, member, holding = found
    model, child_field, on, label = _MEMBERS[member]
    sql, params = stock.members(at, numerator=numerator, scope_type=scope_type,
                                scope_id=scope_id)  # fmt: skip
    rows = model.objects.filter(pk__in=RawSQL(sql, params))
    if holding is not None:
        held_sql, held_params = holding.members(at, numerator=False)
        held = Allocation.objects.filter(pk__in=RawSQL(held_sql, held_params))
        rows = rows.filter(pk__in=held.values("worker_id"))
    event_on = F(on) if on else Value(at, output_field=DateField())
    rows = rows.annotate(event_on=event_on)
    if child_field not in (None, "pk"):
        rows = rows.select_related(child_field)
    elif member == "worker":
        rows = rows.select_related("team")
    return Drilldown(member=member, rows=rows.order_by("pk"), child_field=child_field,
                     date_label=label)  # fmt: skip


def caseload_figures(*, period: P.Period, kpis, teams=None, trend_months: int = 12) -> dict:
    """Caseload snapshots for one period and a monthly trend: two queries.

    ``authority``: {kpi: snapshot}; ``teams``: {(kpi, team id): snapshot}; ``workers``:
    {worker id: caseload_per_worker snapshot}; ``trend``: [(month, {kpi: snapshot})].
    """
    last = period.end.replace(day=1)
    months = [P.month(P.add_months(last, -i)) for i in reversed(range(trend_months))]
    current = KpiSnapshot.objects.filter(kpi__in=kpis, period=period.name)
    if teams is not None:
        mine = Q(scope_type=ScopeType.TEAM, scope_id__in=teams.values("pk")) | Q(
            scope_type=ScopeType.WORKER,
            scope_id__in=Worker.objects.filter(team__in=teams).values("pk"),
        )
        current = current.filter(Q(scope_type=ScopeType.AUTHORITY) | mine)
    out = {"authority": {}, "teams": {}, "workers": {}}
    for snap in current:
        if snap.scope_type == ScopeType.AUTHORITY:
            out["authority"][snap.kpi] = snap
        elif snap.scope_type == ScopeType.TEAM:
            out["teams"][(snap.kpi, snap.scope_id)] = snap
        elif snap.kpi == "caseload_per_worker":
            out["workers"][snap.scope_id] = snap
    by_month: dict[str, dict] = {m.name: {} for m in months}
    trend = KpiSnapshot.objects.filter(
        kpi__in=kpis, period__in=list(by_month), scope_type=ScopeType.AUTHORITY
    )
    for snap in trend:
        by_month[snap.period][snap.kpi] = snap
    out["trend"] = [(m, by_month[m.name]) for m in months]
    return out

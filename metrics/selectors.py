"""Reads of KPI snapshots, targets and comparators for pages, exports and commands.

Each selector is a fixed number of queries whatever the number of KPIs, teams or rows.
"""

from __future__ import annotations

from django.db.models import QuerySet

from metrics import periods as P
from metrics.models import KpiComparator, KpiSnapshot, KpiTarget, ScopeType

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
    from metrics.registry import KPIS

    data = dashboard_data(period=period, scope_type=scope_type, scope_id=scope_id)
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
                "comparators": data["comparators"].get(kpi.code, []),
            }
        )
    return rows


def team_breakdown(*, kpi: str, period: str) -> QuerySet[KpiSnapshot]:
    return KpiSnapshot.objects.filter(kpi=kpi, period=period, scope_type=ScopeType.TEAM).order_by(
        "scope_id"
    )


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
    if scope_type != ScopeType.AUTHORITY and not flow.scopable:
        return flow.qs.none()
    records = flow.records(numerator=numerator, scope_type=scope_type, scope_id=scope_id)
    return records.select_related("child")

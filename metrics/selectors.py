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

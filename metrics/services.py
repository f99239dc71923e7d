"""Computing KPI snapshots: the one write path for ``KpiSnapshot``.

The nightly job, the on-demand button, the incremental recompute after a back-dated
record and ``manage.py compute_kpis`` all call ``kpi_snapshots_compute``. Each KPI is one
aggregate query (two for caseloads) over the whole date range of the requested periods;
Python only folds the monthly / per-date aggregate rows into periods and scopes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from casework.models import ChildPopulation
from metrics import kpi_sources
from metrics import periods as P
from metrics.kpis import caseload
from metrics.models import KpiSnapshot, KpiTarget, ScopeType
from metrics.registry import (
    CASELOAD,
    COUNT,
    FLOW,
    HIGHER,
    KPIS,
    LOWER,
    PERCENT,
    PERIODS,
    RATE,
    KpiDefinition,
    get,
)
from referrals.models import Contact, Referral

TWO_DP = Decimal("0.01")
FOUR_DP = Decimal("0.0001")
# Team and worker figures are kept for periods ending in the last N months; the
# authority's for the whole history.
SCOPED_HISTORY_MONTHS = getattr(settings, "KPI_SCOPED_HISTORY_MONTHS", 25)
UPDATE_FIELDS = [
    "period_start",
    "period_end",
    "scope_id",
    "numerator",
    "denominator",
    "value",
    "computed_at",
    "definition_version",
]


def kpi_standard_periods(*, today: date | None = None) -> list[P.Period]:
    """Every period from the month of the earliest referral to the current month."""
    today = today or timezone.localdate()
    firsts = [
        Referral.objects.aggregate(first=Min("referred_on"))["first"],
        _as_date(Contact.objects.aggregate(first=Min("received_at"))["first"]),
    ]
    first = min([d for d in firsts if d is not None], default=today)
    return P.standard_periods(max(first, date(2000, 4, 1)), today)


def kpi_snapshots_compute(
    *,
    periods: Iterable[P.Period],
    codes: Iterable[str] | None = None,
    today: date | None = None,
) -> int:
    """Compute and upsert every KPI (or ``codes``) for ``periods``; returns rows written.

    Idempotent: rows are upserted on (kpi, period, scope), and rows of these periods
    and KPIs that this run no longer produces (a team with no events left after a
    record was entered in error) are deleted.
    """
    periods = sorted(set(periods))
    if not periods:
        return 0
    today = today or timezone.localdate()
    scoped_from = P.add_months(today.replace(day=1), -SCOPED_HISTORY_MONTHS)
    wanted = set(codes) if codes is not None else None
    definitions = [k for k in KPIS if wanted is None or k.code in wanted]
    population = dict(ChildPopulation.objects.values_list("year", "population"))
    run_at = timezone.now()
    rows = []
    for definition in definitions:
        figures = _figures(definition, periods, scoped_from)
        if definition.summary is not None:
            start, end = min(p.start for p in periods), max(p.end for p in periods)
            definition.summary(start, end, run_at=run_at)
        for period in periods:
            for scope, (num, den) in figures.get(period.name, {}).items():
                if scope[0] != ScopeType.AUTHORITY and period.end < scoped_from:
                    continue
                if definition.unit == RATE:
                    den = population.get(P.fy_start_year(period.end), 0)
                rows.append(_row(definition, period, scope, num, den, run_at))
    return _upsert(rows, periods, definitions, run_at)


def _figures(definition: KpiDefinition, periods: list[P.Period], scoped_from: date) -> dict:
    """{period name: {(scope_type, scope_id): (num, den)}} for one KPI."""
    scoped = len(definition.scopes) > 1
    if definition.kind == CASELOAD:
        return getattr(caseload, definition.compute)(periods)
    if definition.kind == PERIODS:
        return definition.compute(periods)
    if definition.kind == FLOW:
        start, end = min(p.start for p in periods), max(p.end for p in periods)
        rows = definition.compute(start, end).rows(scoped=scoped)
        by_key = _fold(rows, "month", scoped)
        return {p.name: _sum_months(by_key, p, p.end >= scoped_from) for p in periods}
    ends = sorted({p.end for p in periods})
    by_key = _fold(definition.compute(ends, scoped=scoped), "at", scoped)
    # The authority always gets a row (0 of 0 when nothing is open at the date).
    authority = (ScopeType.AUTHORITY.value, None)
    return {
        p.name: {s: v[p.end] for s, v in by_key.items() if p.end in v or s == authority}
        for p in periods
    }


def _fold(rows, when: str, scoped: bool) -> dict:
    """Aggregate rows -> {(scope_type, id): {date: [num, den]}} with the authority total."""
    out: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in rows:
        keys = [(ScopeType.AUTHORITY.value, None)]
        if scoped and row["scope_team"] is not None:
            keys.append((ScopeType.TEAM.value, row["scope_team"]))
        if scoped and row["scope_worker"] is not None:
            keys.append((ScopeType.WORKER.value, row["scope_worker"]))
        for key in keys:
            cell = out[key][_as_date(row[when])]
            cell[0] += row["num"] or 0
            cell[1] += row["den"] or 0
    out[(ScopeType.AUTHORITY.value, None)]  # the authority always gets a row
    return out


def _sum_months(by_key: dict, period: P.Period, scoped: bool) -> dict:
    months = period.months()
    result = {}
    authority = (ScopeType.AUTHORITY.value, None)
    for scope, cells in by_key.items() if scoped else [(authority, by_key[authority])]:
        num = sum(cells[m][0] for m in months if m in cells)
        den = sum(cells[m][1] for m in months if m in cells)
        if num or den or scope[0] == ScopeType.AUTHORITY:
            result[scope] = (num, den)
    return result


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _value(unit: str, num: Decimal, den: Decimal) -> Decimal | None:
    if unit == COUNT:
        return num
    if not den:
        return None
    factor = {PERCENT: 100, RATE: 10_000}.get(unit, 1)
    return (num * factor / den).quantize(FOUR_DP)


COLUMNS = (
    "kpi", "period", "period_start", "period_end", "scope_type", "scope_id",
    "numerator", "denominator", "value", "computed_at", "definition_version",
)  # fmt: skip


def _row(definition, period, scope, num, den, run_at) -> tuple:
    num = Decimal(str(num)).quantize(TWO_DP)
    den = Decimal(str(den)).quantize(TWO_DP)
    value = _value(definition.unit, num, den)
    return (definition.code, period.name, period.start, period.end, scope[0], scope[1],
            num, den, value, run_at, definition.version)  # fmt: skip


@transaction.atomic
def _upsert(rows: list[tuple], periods, definitions, run_at) -> int:
    """Upsert on (kpi, period, scope), then delete what this run no longer produces."""
    if connection.vendor == "postgresql":
        _upsert_postgresql(rows)
    else:
        KpiSnapshot.objects.bulk_create(
            [KpiSnapshot(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["kpi", "period", "scope_type", "scope_key"],
            update_fields=UPDATE_FIELDS,
        )
    KpiSnapshot.objects.filter(
        period__in=[p.name for p in periods], kpi__in=[d.code for d in definitions]
    ).exclude(computed_at=run_at).delete()
    return len(rows)


def _upsert_postgresql(rows: list[tuple]) -> None:
    # COPY into a temporary table and one INSERT ... ON CONFLICT: hundreds of thousands
    # of rows in seconds, where batched multi-row INSERTs take minutes.
    table = KpiSnapshot._meta.db_table
    columns = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATE_FIELDS)
    with connection.cursor() as cursor:
        # Dropped at commit; dropped here too for a second run in the same transaction.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.kpi_stage")
        cursor.execute(
            "CREATE TEMPORARY TABLE kpi_stage (kpi varchar(50), period varchar(12), "
            "period_start date, period_end date, scope_type varchar(10), scope_id integer, "
            "numerator numeric(14, 2), denominator numeric(14, 2), value numeric(14, 4), "
            "computed_at timestamptz, definition_version smallint) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY kpi_stage ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM kpi_stage "
            f"ON CONFLICT (kpi, period, scope_type, scope_key) DO UPDATE SET {updates}"
        )


def kpi_snapshots_compute_all(*, today: date | None = None) -> int:
    """The nightly job: every KPI, every standard period, every scope."""
    return kpi_snapshots_compute(periods=kpi_standard_periods(today=today), today=today)


def kpi_snapshots_compute_for_dates(*, dates: Iterable[date], today: date | None = None) -> int:
    """The incremental run after records dated ``dates`` were entered or back-dated
    (every KPI: the writes' tables are unknown)."""
    dates = sorted(set(dates))
    if not dates:
        return 0
    affected = P.periods_affected_by(dates[0], kpi_standard_periods(today=today))
    return kpi_snapshots_compute(periods=affected, today=today)


def kpi_recompute_plan(
    changes: dict[str | None, date], *, today: date | None = None
) -> dict[str, list[P.Period]]:
    """{KPI code: the periods to recompute} after writes to tables dated ``changes``.

    ``changes`` maps each written table (None: unknown, so every KPI) to the earliest
    date the writes to it touched. A KPI is recomputed only when it reads one of the
    tables (``metrics.kpi_sources``), and only for the periods the earliest of those
    dates can change.
    """
    if not changes:
        return {}
    standard = kpi_standard_periods(today=today)
    plan = {}
    for definition in KPIS:
        days = [day for table, day in changes.items() if kpi_sources.reads_any(definition, [table])]
        if days:
            plan[definition.code] = P.periods_affected_by(min(days), standard)
    return {code: periods for code, periods in plan.items() if periods}


def kpi_snapshots_compute_changes(
    changes: dict[str | None, date], *, today: date | None = None
) -> int:
    """The incremental run in this process (the Celery job fans the same plan out)."""
    plan = kpi_recompute_plan(changes, today=today)
    return sum(
        kpi_snapshots_compute(periods=periods, codes=[code], today=today)
        for code, periods in plan.items()
    )


# The table key a change of unknown origin is queued under (JSON keys are strings).
ANY_TABLE = "*"


class _PendingRecompute:
    """One on-commit callback per transaction, however many records it writes: the
    earliest date written in each table."""

    def __init__(self, day: date, table: str | None = None):
        self.changes: dict[str | None, date] = {table: day}

    def add(self, day: date, table: str | None) -> None:
        self.changes[table] = min(day, self.changes.get(table, day))

    @property
    def days(self) -> set[date]:
        return set(self.changes.values())

    def __call__(self) -> None:
        from metrics.tasks import recompute_changes

        recompute_changes.delay(
            {(table or ANY_TABLE): day.isoformat() for table, day in self.changes.items()}
        )


def _table_of(source) -> str | None:
    if source is None or isinstance(source, str):
        return source
    return source._meta.db_table


def schedule_recompute_for(day: date, source=None) -> None:
    """Queue the incremental recompute for a record dated ``day`` once the caller commits.

    Domain services announce a record they enter or back-date (``casework.signals.
    record_dated``, sent inside their transaction, with the record) and
    ``MetricsConfig.ready`` connects ``recompute_when_record_dated`` to it; ``source``
    (the record, its model or its table) narrows the recompute to the KPIs reading that
    table. A rolled-back change queues nothing, and a transaction writing many records
    queues one job. Off when ``CASEFLOW_KPI_INCREMENTAL`` is false (the in-process demo:
    there a head of service recomputes on demand instead of every click waiting for it).
    """
    if not settings.CASEFLOW_KPI_INCREMENTAL:
        return
    table = _table_of(source)
    connection = transaction.get_connection()
    # run_on_commit holds (savepoint ids, callback, robust) for the open transaction.
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _PendingRecompute):
            entry[1].add(day, table)
            return
    transaction.on_commit(_PendingRecompute(day, table))


def recompute_when_record_dated(sender, *, day: date, record=None, **kwargs) -> None:
    schedule_recompute_for(day, source=record if record is not None else sender)


TARGET_ROLE = "Only a head of service or an administrator can set targets"
AMBER_ABOVE_TARGET = "The amber threshold must be at or below the target: higher values are better"
AMBER_BELOW_TARGET = "The amber threshold must be at or above the target: lower values are better"
PERCENT_RANGE = "{field} must be between 0 and 100 for a percentage"


def kpi_target_check(*, kpi: str, value: Decimal, amber_threshold: Decimal, by) -> None:
    """The target rules, without saving: who may set one, percentages within 0-100, and
    the amber threshold on the worse side of the target. Raises ``DomainError``."""
    from accounts.permissions import can
    from casework.errors import DomainError, DomainPermissionError

    if not can(by, "kpi_target_set"):
        raise DomainPermissionError(TARGET_ROLE)
    definition = get(kpi)
    if definition.unit == PERCENT:
        for field, number in (("value", value), ("amber_threshold", amber_threshold)):
            if not 0 <= number <= 100:
                name = "The target" if field == "value" else "The amber threshold"
                raise DomainError(PERCENT_RANGE.format(field=name), field=field)
    if definition.polarity == HIGHER and amber_threshold > value:
        raise DomainError(AMBER_ABOVE_TARGET, field="amber_threshold")
    if definition.polarity == LOWER and amber_threshold < value:
        raise DomainError(AMBER_BELOW_TARGET, field="amber_threshold")


@transaction.atomic
def kpi_target_set(*, kpi: str, value: Decimal, amber_threshold: Decimal, by) -> KpiTarget:
    """Set (or change) a KPI's target and amber threshold; the history records who did."""
    kpi_target_check(kpi=kpi, value=value, amber_threshold=amber_threshold, by=by)
    target = KpiTarget.objects.select_for_update().filter(kpi=kpi).first() or KpiTarget(kpi=kpi)
    target.value, target.amber_threshold, target.set_by = value, amber_threshold, by
    target._history_user = by
    target.save()
    return target


def kpi_recompute_queue() -> None:
    """The on-demand button: queue the full recompute once the request commits."""
    from metrics.tasks import compute_all_kpis

    transaction.on_commit(compute_all_kpis.delay)

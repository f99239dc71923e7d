"""Celery entry points for KPI computation: thin, idempotent, retried on lost connections.

Re-running any of them is safe: snapshots are upserted on (kpi, period, scope). The
full and incremental jobs fan out as a chord of one ``compute_kpi`` task per KPI, so
every worker process (on every host) takes a share; each task upserts its own KPI's
rows, and the chord's ``sum_written`` gives the caller the rows written, as before.
"""

from __future__ import annotations

import time
from datetime import date

from celery import chord, group, shared_task
from celery.utils.log import get_task_logger

from config.celery import TRANSIENT_DB_RETRY as RETRY
from metrics import periods as P
from metrics import services
from metrics.registry import CODES

logger = get_task_logger(__name__)
# The line each KPI task logs when done: the bench reads it back for ``kpi_task_s``.
TASK_TIME_LOG = "KPI %s computed in %.3f s (%d rows)"


@shared_task(name="metrics.tasks.compute_kpi", **RETRY)
def compute_kpi(code: str, period_names: list[str]) -> int:
    """One KPI for ``period_names``: one part of a fan-out."""
    started = time.monotonic()
    periods = [P.parse(name) for name in period_names]
    written = services.kpi_snapshots_compute(periods=periods, codes=[code])
    logger.info(TASK_TIME_LOG, code, time.monotonic() - started, written)
    return written


@shared_task(name="metrics.tasks.sum_written")
def sum_written(counts: list[int]) -> int:
    return sum(counts)


def _fan_out(task, plan: dict[str, list[P.Period]]) -> int:
    """Replace ``task`` by a chord of one ``compute_kpi`` per KPI of ``plan``.

    In-process (eager tasks: the demo, unit tests) the KPIs run one after another here.
    The parts go to the queue the job came from, so a job sent to a dedicated queue keeps
    its parts on that queue's workers.
    """
    plan = {code: [p.name for p in periods] for code, periods in plan.items() if periods}
    if task.request.is_eager or task.request.id is None:
        return sum(compute_kpi(code, names) for code, names in plan.items())
    if not plan:
        return 0
    queue = (task.request.delivery_info or {}).get("routing_key")
    options = {"queue": queue} if queue else {}
    parts = group(compute_kpi.si(code, names).set(**options) for code, names in plan.items())
    return task.replace(chord(parts, sum_written.s().set(**options)))


@shared_task(bind=True, name="metrics.tasks.compute_all_kpis", **RETRY)
def compute_all_kpis(self) -> int:
    """Nightly (config/celery.py beat schedule) and on demand: everything."""
    periods = services.kpi_standard_periods()
    return _fan_out(self, dict.fromkeys(CODES, periods))


@shared_task(name="metrics.tasks.compute_kpis_for_periods", **RETRY)
def compute_kpis_for_periods(period_names: list[str]) -> int:
    return services.kpi_snapshots_compute(periods=[P.parse(name) for name in period_names])


@shared_task(bind=True, name="metrics.tasks.recompute_for_dates", **RETRY)
def recompute_for_dates(self, dates: list[str]) -> int:
    """Incremental, tables unknown: every KPI for the periods a record dated on one of
    ``dates`` can change."""
    earliest = min((date.fromisoformat(d) for d in dates), default=None)
    if earliest is None:
        return 0
    return _fan_out(self, services.kpi_recompute_plan({None: earliest}))


@shared_task(bind=True, name="metrics.tasks.recompute_changes", **RETRY)
def recompute_changes(self, changes: dict[str, str]) -> int:
    """Incremental after a commit: {table written: earliest date written}; only the KPIs
    reading those tables, for the periods those dates can change."""
    parsed = {
        (None if table == services.ANY_TABLE else table): date.fromisoformat(day)
        for table, day in changes.items()
    }
    return _fan_out(self, services.kpi_recompute_plan(parsed))

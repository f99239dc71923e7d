"""Celery entry points for KPI computation: thin, idempotent, retried on lost connections.

Re-running any of them is safe: snapshots are upserted on (kpi, period, scope).
"""

from __future__ import annotations

from datetime import date

from celery import shared_task

from config.celery import TRANSIENT_DB_RETRY as RETRY
from metrics import periods as P
from metrics import services


@shared_task(name="metrics.tasks.compute_all_kpis", **RETRY)
def compute_all_kpis() -> int:
    """Nightly (config/celery.py beat schedule) and on demand: everything."""
    return services.kpi_snapshots_compute_all()


@shared_task(name="metrics.tasks.compute_kpis_for_periods", **RETRY)
def compute_kpis_for_periods(period_names: list[str]) -> int:
    return services.kpi_snapshots_compute(periods=[P.parse(name) for name in period_names])


@shared_task(name="metrics.tasks.recompute_for_dates", **RETRY)
def recompute_for_dates(dates: list[str]) -> int:
    """Incremental: the periods a record dated on one of ``dates`` can change."""
    return services.kpi_snapshots_compute_for_dates(dates=[date.fromisoformat(d) for d in dates])

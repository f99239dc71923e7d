"""Jobs that touch the database retry transient connection errors, with backoff and jitter."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

from metrics import tasks as kpi_tasks
from metrics.returns import tasks as returns_tasks

TASKS = [
    kpi_tasks.compute_all_kpis,
    kpi_tasks.compute_kpi,
    kpi_tasks.compute_kpis_for_periods,
    kpi_tasks.recompute_for_dates,
    kpi_tasks.recompute_changes,
    returns_tasks.run_census_export,
    returns_tasks.run_annex_a_export,
]


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_database_jobs_retry_lost_connections_with_backoff_and_jitter(task):
    assert set(task.autoretry_for) >= {OperationalError, InterfaceError}
    assert task.retry_backoff and task.retry_jitter
    assert task.max_retries >= 3
    assert task.acks_late


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_kpi_job_is_retried_after_a_transient_error_and_then_succeeds(error):
    # The jobs fan out one ``compute_kpi`` per KPI: each part retries on its own.
    with mock.patch.object(
        kpi_tasks.services, "kpi_snapshots_compute", side_effect=[error("gone away"), 42]
    ) as compute:
        result = kpi_tasks.compute_kpi.apply(args=["referrals_nfa", []], throw=False)
    assert result.get() == 42
    assert compute.call_count == 2


def test_the_census_export_is_retried_after_a_transient_error_and_then_succeeds():
    done = mock.Mock(status="done")
    with mock.patch.object(
        returns_tasks, "export_job_run", side_effect=[OperationalError("restarting"), done]
    ) as run:
        result = returns_tasks.run_census_export.apply(args=["job-1"], throw=False)
    assert result.get() == "done"
    assert run.call_count == 2


def test_other_errors_are_not_retried():
    with mock.patch.object(
        kpi_tasks.services, "kpi_snapshots_compute", side_effect=ValueError("bug")
    ) as compute:
        result = kpi_tasks.compute_kpi.apply(args=["referrals_nfa", []], throw=False)
    assert result.failed()
    assert compute.call_count == 1

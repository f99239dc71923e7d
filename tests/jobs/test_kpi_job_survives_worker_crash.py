"""The nightly KPI job survives its worker being SIGKILLed part-way (acks_late + redelivery)."""

import os
import signal
import time
from datetime import date

import pytest
from django.core.management import call_command

from metrics.models import KpiSnapshot
from metrics.tasks import compute_all_kpis
from tests.support.worker import start_worker, stop_worker

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]

# Short, so the test need not wait the production visibility timeout for redelivery.
REDELIVER_AFTER = "4"
FIELDS = ("kpi", "period", "scope_type", "scope_key", "numerator", "denominator", "value")


def _snapshots() -> list[tuple]:
    return sorted(KpiSnapshot.objects.values_list(*FIELDS))


def _run_to_completion(kill_after: float | None) -> float:
    """Send the job; optionally SIGKILL its worker after ``kill_after`` s; return seconds."""
    first = start_worker("crashy", CELERY_VISIBILITY_TIMEOUT=REDELIVER_AFTER)
    started = time.monotonic()
    result = compute_all_kpis.delay()
    survivor = None
    try:
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
            survivor = start_worker("survivor", CELERY_VISIBILITY_TIMEOUT=REDELIVER_AFTER)
        result.get(timeout=180)
        return time.monotonic() - started
    finally:
        stop_worker(first)
        if survivor is not None:
            stop_worker(survivor)


@pytest.fixture
def authority(db):
    call_command("generate_authority", scale="tiny", seed=11, end_date=date(2025, 9, 30))


def test_killed_mid_job_it_completes_once_with_the_undisturbed_figures(authority):
    undisturbed_s = _run_to_completion(kill_after=None)
    expected = _snapshots()
    assert expected, "the tiny authority should produce KPI snapshots"

    for fraction in (0.2, 0.5, 0.8):
        KpiSnapshot.objects.all().delete()
        _run_to_completion(kill_after=max(0.2, undisturbed_s * fraction))
        assert _snapshots() == expected, f"figures differ after a kill at {fraction:.0%}"
        # One completed run wrote every row: no duplicates, no rows left from a dead run.
        assert KpiSnapshot.objects.count() == len(expected)
        assert KpiSnapshot.objects.values("computed_at").distinct().count() == 1

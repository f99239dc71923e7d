"""The nightly KPI job survives its worker being SIGKILLed part-way (acks_late + redelivery)."""

import os
import signal
import time
from datetime import date

import pytest
from django.core.management import call_command

from metrics.models import KpiSnapshot
from metrics.registry import CODES
from metrics.tasks import compute_all_kpis
from tests.support.worker import start_worker, stop_worker

# Alone: it kills the worker at fractions of a run timed moments before, which a busy
# machine (the parallel phase) makes unreliable.
pytestmark = [pytest.mark.jobs, pytest.mark.alone, pytest.mark.django_db(transaction=True)]

# Only these tests' workers consume this queue: the session's worker (tests.support.worker,
# started by other job tests) must not be able to take the job and let it pass uncrashed.
QUEUE = "kpi-crash-test"
# For these workers only: a dead worker's job is redelivered after a few seconds (not the
# production visibility timeout), found by a restore sweep every second (kombu's default
# sweep is ~100 s apart).
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "4",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}
FIELDS = ("kpi", "period", "scope_type", "scope_key", "numerator", "denominator", "value")


def _snapshots() -> list[tuple]:
    return sorted(KpiSnapshot.objects.values_list(*FIELDS))


def _wait_for_state(result, state: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while result.state != state:
        if time.monotonic() > deadline:
            raise AssertionError(f"job still {result.state}, never {state}")
        time.sleep(0.05)


def _run_to_completion(kill_after: float | None) -> float | None:
    """Send the job; optionally SIGKILL its worker ``kill_after`` s after it started it;
    return the seconds the job ran (from its start to its result), or None when the job
    had already finished when the kill came (nothing was tested: kill sooner)."""
    first = start_worker("crashy", queue=QUEUE, **FAST_REDELIVERY)
    result = compute_all_kpis.apply_async(queue=QUEUE)
    survivor = None
    try:
        _wait_for_state(result, "STARTED")  # the crashy worker, the only consumer, has it
        started = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
            if result.state == "SUCCESS":
                return None
            # A dead worker writes nothing more: the job had not finished when it was killed.
            assert result.state == "STARTED", f"the job was {result.state} before the kill"
            survivor = start_worker("survivor", queue=QUEUE, **FAST_REDELIVERY)
        assert result.get(timeout=120) > 0
        return time.monotonic() - started
    finally:
        stop_worker(first)
        if survivor is not None:
            stop_worker(survivor)


def _broker_holds_nothing() -> bool:
    with compute_all_kpis.app.connection_for_write() as conn:
        client = conn.default_channel.client
        return client.llen(QUEUE) == 0 and client.hlen("unacked") == 0


@pytest.fixture
def authority(db):
    call_command("generate_authority", scale="tiny", seed=11, end_date=date(2025, 9, 30))


def test_killed_mid_job_it_completes_once_with_the_undisturbed_figures(authority):
    undisturbed_s = _run_to_completion(kill_after=None)
    expected = _snapshots()
    assert expected, "the tiny authority should produce KPI snapshots"

    for fraction in (0.2, 0.5, 0.8):
        delay = undisturbed_s * fraction
        for _ in range(3):
            KpiSnapshot.objects.all().delete()
            if _run_to_completion(kill_after=delay) is not None:
                break
            # The timed run was slowed by a busy machine; this one finished before the
            # kill. Kill sooner, so the kill lands mid-job.
            delay /= 2
        else:
            pytest.fail(f"the job always finished before a kill at {fraction:.0%}")
        assert _snapshots() == expected, f"figures differ after a kill at {fraction:.0%}"
        # One completed task per KPI (the job fans out) wrote each KPI's rows: no
        # duplicates, no rows left from a dead run.
        assert KpiSnapshot.objects.count() == len(expected)
        assert KpiSnapshot.objects.values("kpi", "computed_at").distinct().count() == len(CODES)
        # The survivor ran it once: nothing is left queued or unacknowledged to run again.
        assert _broker_holds_nothing()

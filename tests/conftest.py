"""Shared fixtures. The suite runs against the real services that `make test` starts."""

import os

import pytest
from django.conf import settings

from config.celery import app as celery_app

pytest_plugins = ["tests.support.worker", "tests.support.browser"]


def pytest_collection_modifyitems(config, items):
    """`make test` runs two phases (see the Makefile): the `services` tests stop the one
    PostgreSQL server, and the `alone` tests time a job against the clock, so both run
    after the parallel phase, one at a time, on a quiet machine."""
    phase = os.environ.get("CASEFLOW_TEST_PHASE")
    if phase not in ("parallel", "serial"):
        return
    wanted = phase == "serial"
    keep, dropped = [], []
    for item in items:
        serial = any(item.get_closest_marker(m) is not None for m in ("services", "alone"))
        (keep if serial == wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return [
        f"database: {db['ENGINE']} ({db.get('HOST') or 'local'}:{db.get('PORT') or ''})",
        f"broker: {settings.CELERY_BROKER_URL or 'none (in-process)'}",
    ]


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_job_test(request):
    """Unit tests run tasks in-process; tests marked ``jobs`` use the real worker."""
    eager = request.node.get_closest_marker("jobs") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar(monkeypatch):
    """Each test's transaction is rolled back, so no test sees another's calendar copy.
    The 30-second recheck of the stored calendar is a wall-clock matter: on a busy machine
    it would add a query to whichever page a query-count test measures after 30 s, so tests
    recheck only where they ask to (test_calendar sets it to -1)."""
    from casework import calendar

    monkeypatch.setattr(calendar, "RECHECK_SECONDS", float("inf"))
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True)
def _kpi_incremental_only_where_tested(request, settings):
    """Every service write would otherwise run a KPI recompute in-process (eager tasks)."""
    settings.CASEFLOW_KPI_INCREMENTAL = (
        request.node.get_closest_marker("kpi_incremental") is not None
    )


@pytest.fixture(autouse=True)
def _replica_reads_only_where_tested(request, settings):
    """Without the marker every read uses the primary, as before there was a replica."""
    settings.CASEFLOW_READ_REPLICA = request.node.get_closest_marker("replica") is not None


@pytest.fixture(autouse=True)
def _working_day_calendar_present(request):
    """Transactional tests flush every table, the calendar included: put it back."""
    if request.node.get_closest_marker("django_db") is None:
        return
    blocker = request.getfixturevalue("django_db_blocker")
    from casework import calendar
    from casework.models import WorkingDay

    with blocker.unblock():
        if not WorkingDay.objects.exists():
            calendar.calendar_rebuild()


@pytest.fixture
def demo_password():
    return "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def requires_postgres():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("this suite runs against PostgreSQL: run it with `make test`")


def pg_env():
    """Where scripts/services.py put the throwaway PostgreSQL cluster."""
    keys = ("CASEFLOW_PG_BINDIR", "CASEFLOW_PG_DATA", "CASEFLOW_PG_OPTS", "CASEFLOW_PG_LOG")
    missing = [k for k in keys if not os.environ.get(k)]
    if missing:
        pytest.fail(f"run under scripts/services.py (make test); missing {missing}")
    return {k: os.environ[k] for k in keys}

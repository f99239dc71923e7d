"""Shared fixtures. The suite runs against the real services that `make test` starts."""

import os

import pytest
from celery.signals import after_task_publish
from django.conf import settings
from django.test.utils import override_settings

from config.celery import app as celery_app
from tests.support.balance import slow_modules_first
from tests.support.celery import always_eager

pytest_plugins = ["tests.support.worker", "tests.support.browser"]


def pytest_collection_modifyitems(config, items):
    """`make test` runs two phases (see the Makefile): the `services` tests stop the one
    PostgreSQL server, and the `alone` tests time a job against the clock, so both run
    after the parallel phase, one at a time, on a quiet machine."""
    _refuse_eager_without_a_reason(items)
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
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    if phase == "parallel" and config.getoption("dist", "no") == "worksteal":
        items[:] = slow_modules_first(items, workers)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Under `make test` each process's test database is a copy of one migrated template
    (scripts/test_db_template.py) rather than a run of every migration of its own.

    Migrations run here (without the template) and files the tests write go to an empty
    MEDIA_ROOT of the session's own, never the developer's var/media (a data migration
    reads it: metrics 0009's old export job files)."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    template = os.environ.get("CASEFLOW_TEST_DB_TEMPLATE")
    if template and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = template


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return [
        f"database: {db['ENGINE']} ({db.get('HOST') or 'local'}:{db.get('PORT') or ''})",
        f"broker: {settings.CELERY_BROKER_URL or 'none (in-process)'}",
    ]


def _eager_reason(item) -> str | None:
    marker = item.get_closest_marker("celery_eager")
    if marker is None:
        return None
    reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
    return reason.strip() if isinstance(reason, str) else ""


def _refuse_eager_without_a_reason(items) -> None:
    """Tasks run in-process only where a test says why; a worker-backed test never."""
    bad = []
    for item in items:
        reason = _eager_reason(item)
        if reason == "":
            bad.append(f"{item.nodeid}: @pytest.mark.celery_eager needs a reason")
        elif reason is not None and item.get_closest_marker("jobs") is not None:
            bad.append(f"{item.nodeid}: a `jobs` test uses the real worker, not celery_eager")
    if bad:
        raise pytest.UsageError("\n".join(bad))


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Argon2, production's hasher (asserted in a fresh process by
    tests/accounts/test_headers_and_deploy.py), costs about half a second a hash on 2
    cores, and the suite creates and signs in hundreds of users with passwords."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def queued_tasks():
    """The names of the tasks a test sent to the broker, in order."""
    return []


@pytest.fixture(autouse=True)
def _celery_as_in_production(request, queued_tasks):
    """Tasks go to the broker as in production: a service that queues a job only queues
    it. Tests marked ``jobs`` have the real worker run them; ``celery_eager(reason)`` runs
    them in-process where the test asserts their effect in-process and says so. What a
    test queued without a worker is purged afterwards, so a later worker-backed test in the
    same process never runs another test's leftovers."""
    eager = _eager_reason(request.node) is not None
    if not settings.CELERY_BROKER_URL:
        eager = True  # no broker (not `make test`): as the demo runs, in-process

    def record(sender=None, **kwargs):
        queued_tasks.append(sender)

    after_task_publish.connect(record, weak=False)
    try:
        with always_eager(eager):
            yield
    finally:
        after_task_publish.disconnect(record)
        if queued_tasks and request.node.get_closest_marker("jobs") is None:
            celery_app.control.purge()


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

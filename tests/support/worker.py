"""A real Celery worker process, against the Redis and test database `make test` started."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(
    name: str = "testworker", queue: str | None = None, **extra_env: str
) -> subprocess.Popen:
    """Start a solo worker; with ``queue`` it consumes only that queue, so no other
    worker (such as the session's ``celery_worker``) can take the tests' tasks."""
    if not settings.CELERY_BROKER_URL:
        pytest.fail("job tests need CELERY_BROKER_URL: run them with `make test`")
    # The worker writes files where the tests look for them: the session's MEDIA_ROOT.
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CASEFLOW_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra_env,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-n",
            f"{name}@%h",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            *(["-Q", queue] if queue else []),
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Celery worker exited early with {proc.returncode}")
        replies = celery_app.control.inspect(timeout=1).ping() or {}
        if any(key.startswith(f"{name}@") for key in replies):
            return proc
    proc.kill()
    pytest.fail("Celery worker did not answer a ping within 60s")


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker):
    """One live worker for a module's job tests (tests need ``transactional_db``). Stopped
    with the module: a later test in the same process that sends a task with no worker
    running (tests/architecture/test_celery_in_tests.py) must find it still queued."""
    with django_db_blocker.unblock():
        proc = start_worker()
    yield proc
    stop_worker(proc)

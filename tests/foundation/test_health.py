import time
from unittest import mock

import pytest
from django.db import connection
from django.db.migrations import Migration
from django.db.migrations.executor import MigrationExecutor

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_suite_runs_against_postgresql():
    assert connection.vendor == "postgresql"


def test_healthz_names_each_dependency_and_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker"}
    assert body["failing"] == []


def test_healthz_reports_a_broken_broker_as_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


def _other_redis_db(url: str) -> str:
    """The same Redis server, a database index no worker listens on."""
    return url.rsplit("/", 1)[0] + "/15"


def test_readyz_names_the_worker_when_none_answers_though_the_broker_is_up(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = _other_redis_db(settings.CELERY_BROKER_URL)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["checks"]["broker"] == "ok"
    assert body["checks"]["worker"] == "error: RuntimeError: no worker answered a ping"


def test_readyz_does_not_ping_workers_through_a_broker_that_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    with mock.patch.object(celery_app.control, "inspect") as inspect:
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["worker"] == "not checked: broker unavailable"
    inspect.assert_not_called()
    assert elapsed < 5


def test_readyz_names_migrations_when_one_is_not_applied(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # broker and worker: in-process, so ok
    unapplied = Migration("0999_not_yet", "ops")
    with mock.patch.object(MigrationExecutor, "migration_plan", return_value=[(unapplied, False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"] == "error: RuntimeError: 1 migration(s) not applied"
    assert body["checks"]["database"] == "ok"


def test_readyz_answers_200_when_everything_is_in_place(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/readyz")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "broker", "worker", "migrations"}

import pytest
from django.db import connection

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

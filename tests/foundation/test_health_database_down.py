"""Stops the throwaway PostgreSQL server mid-test to observe /healthz's 503 path."""

import os
import subprocess
import time

import pytest
from django.db import connection

from tests.conftest import pg_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _pg_ctl(*args: str) -> None:
    env = pg_env()
    cmd = [f"{env['CASEFLOW_PG_BINDIR']}/pg_ctl", "-D", env["CASEFLOW_PG_DATA"], *args]
    # As scripts/services.py does: the cluster belongs to ``postgres`` only under root.
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def _wait_for_database(timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_healthz_answers_503_naming_the_database_when_postgres_stops(client):
    assert client.get("/healthz").status_code == 200
    _pg_ctl("-m", "fast", "-w", "stop")
    try:
        connection.close()
        response = client.get("/healthz")
    finally:
        env = pg_env()
        _pg_ctl("-l", env["CASEFLOW_PG_LOG"], "-o", env["CASEFLOW_PG_OPTS"], "-w", "start")
        _wait_for_database()
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["database"].startswith("error: OperationalError")
    assert client.get("/healthz").status_code == 200

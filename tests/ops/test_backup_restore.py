"""`make backup` / `make restore`: a restored authority gives identical KPI values."""

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)
PERIODS = ["FY2024-25", "2025-Q1", "R12-2025-09"]


def _url(dbname: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{dbname}"


def _pg(tool: str, *args: str) -> None:
    db = connection.settings_dict
    bindir = os.environ.get("CASEFLOW_PG_BINDIR", "")
    exe = os.path.join(bindir, tool) if bindir else tool
    subprocess.run([exe, "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"], *args],
                   check=True)  # fmt: skip


def _kpi_values_here() -> dict:
    out = {}
    for period in PERIODS:
        buf = StringIO()
        call_command("kpi_values", period=period, scope="authority", format="json", stdout=buf)
        out[period] = json.loads(buf.getvalue())
    return out


def _kpi_values_in(dbname: str) -> dict:
    env = {**os.environ, "DATABASE_URL": _url(dbname)}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "compute_kpis"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    out = {}
    for period in PERIODS:
        run = subprocess.run(
            [*manage, "kpi_values", "--period", period, "--scope", "authority", "--format", "json"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        out[period] = json.loads(run.stdout)
    return out


def test_a_restored_backup_recomputes_identical_kpi_values(tmp_path):
    call_command("generate_authority", scale="tiny", seed=5, end_date=date(2025, 9, 30))
    call_command("compute_kpis", stdout=StringIO())
    original = _kpi_values_here()
    assert any(row["denominator"] for rows in original.values() for row in rows)

    dump = tmp_path / "caseflow.dump"
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"])}
    subprocess.run(["bash", "scripts/backup.sh", "backup", str(dump)], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    assert dump.stat().st_size > 0

    target = "caseflow_restore_drill"
    _pg("createdb", target)
    try:
        env["DATABASE_URL"] = _url(target)
        subprocess.run(["bash", "scripts/backup.sh", "restore", str(dump)], cwd=ROOT, env=env,
                       check=True)  # fmt: skip
        assert _kpi_values_in(target) == original
    finally:
        _pg("dropdb", "--if-exists", target)


def test_restore_refuses_a_missing_file(tmp_path):
    env = {**os.environ, "DATABASE_URL": _url("nowhere")}
    run = subprocess.run(["bash", "scripts/backup.sh", "restore", str(tmp_path / "none.dump")],
                         cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 2
    assert "No such backup" in run.stderr


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    # The test database has every table (migrated): restoring its own dump over it.
    dump = tmp_path / "caseflow.dump"
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"])}
    subprocess.run(["bash", "scripts/backup.sh", "backup", str(dump)], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    run = subprocess.run(["bash", "scripts/backup.sh", "restore", str(dump)], cwd=ROOT, env=env,
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 2
    assert "not empty" in run.stderr

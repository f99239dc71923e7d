"""scripts/services.py --data-dir (make serve, make backup/restore) keeps and shares its cluster."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = str(ROOT / "scripts" / "services.py")

WRITE = """
import os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as c:
    c.execute("CREATE TABLE kept (v text)")
    c.execute("INSERT INTO kept VALUES ('written by the first run')")
"""
READ = """
import os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as c:
    print(c.execute("SELECT v FROM kept").fetchone()[0])
"""
# Runs inside a first services.py run: a second run on the same directory (as `make backup`
# beside a running `make serve`) must connect to the running servers, not start its own,
# dump the existing database, and leave the servers running when it finishes.
NESTED = """
import os, subprocess, sys
data_dir, services, dump = sys.argv[1:]
show = "import os; print(os.environ['DATABASE_URL'], os.environ['CELERY_BROKER_URL'])"
inner = subprocess.run([sys.executable, services, "--data-dir", data_dir, "--",
                        sys.executable, "-c", show], capture_output=True, text=True, check=True)
assert inner.stdout.split() == [os.environ["DATABASE_URL"], os.environ["CELERY_BROKER_URL"]], (
    inner.stdout, inner.stderr)
subprocess.run([sys.executable, services, "--data-dir", data_dir, "--",
                "bash", "scripts/backup.sh", "backup", dump], check=True)
import psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as c:  # still up after the inner runs
    print(c.execute("SELECT v FROM kept").fetchone()[0])
"""


@pytest.fixture
def data_dir():
    # Under /tmp, not pytest's private tmp_path: as root the cluster belongs to `postgres`,
    # which must be able to reach the directory.
    path = tempfile.mkdtemp(prefix="caseflow-data-dir-test-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _services(data_dir: str, *command: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    return subprocess.run(
        [sys.executable, SERVICES, "--data-dir", data_dir, "--", *command],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_a_second_run_reuses_the_cluster_and_sees_the_first_runs_data(data_dir):
    first = _services(data_dir, sys.executable, "-c", WRITE)
    assert first.returncode == 0, first.stderr

    second = _services(data_dir, sys.executable, "-c", READ)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "written by the first run"


def test_a_run_beside_a_running_one_shares_its_servers_and_backs_up_its_data(data_dir):
    assert _services(data_dir, sys.executable, "-c", WRITE).returncode == 0
    dump = os.path.join(data_dir, "kept.dump")

    outer = _services(data_dir, sys.executable, "-c", NESTED, data_dir, SERVICES, dump)

    assert outer.returncode == 0, outer.stderr
    assert outer.stdout.strip().splitlines()[-1] == "written by the first run"
    assert "PostgreSQL already running" in outer.stderr
    assert "Redis already running" in outer.stderr
    bindir = os.environ.get("CASEFLOW_PG_BINDIR", "")
    listing = subprocess.run(
        [os.path.join(bindir, "pg_restore") if bindir else "pg_restore", "--list", dump],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "TABLE public kept" in listing.stdout

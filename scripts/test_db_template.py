"""Migrate one template database for a test run (`make test`).

Every pytest process (two in the parallel phase, one in the serial phase) would
otherwise run every migration into its own test database; with
``CASEFLOW_TEST_DB_TEMPLATE`` set, tests/conftest.py has Django create each test
database as a copy of this one (PostgreSQL's ``CREATE DATABASE ... TEMPLATE``, a file
copy), and Django's own ``migrate`` on the copy then finds nothing to apply. Nothing else
connects to the template (PostgreSQL refuses to copy a database someone is connected to).

Usage: DATABASE_URL=postgres://owner@host:port/db python scripts/test_db_template.py NAME
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]


def database_url(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].isidentifier():
        print(__doc__, file=sys.stderr)
        return 2
    name, url = sys.argv[1], os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must name the PostgreSQL server (scripts/services.py)", file=sys.stderr)
        return 2
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        # Generated authorities copied from the last template (tests/support/shared_authority.py).
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        for old in (n for n in names if n.startswith(f"{name}_gen_")):
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(old)))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with tempfile.TemporaryDirectory(prefix="caseflow-template-media-") as media:
        # Data migrations read MEDIA_ROOT (metrics 0009 loads old export job files): an
        # empty folder, so what lies in a developer's var/media never reaches the tests.
        env = {**os.environ, "DATABASE_URL": database_url(url, name), "CASEFLOW_MEDIA_ROOT": media}
        env.pop("DATABASE_REPLICA_URL", None)  # the copies reach the replica by streaming
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    print(f"test database template {name} migrated in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A generated authority built once per `make test` run and copied for each module.

Generating even the ``tiny`` authority takes tens of seconds on 2 cores, and several
modules ask for the same one (scale, seed, end date, years, pinned clock). Under
`make test` (CASEFLOW_TEST_DB_TEMPLATE set, PostgreSQL) the first module to ask generates
it into a database of its own, copied from the migrated test template, under a file
lock so the other worker waits for it instead of generating it too; the database is kept
as ``<template>_gen_<key>`` and every module that asks for the same inputs gets a fresh
``CREATE DATABASE ... TEMPLATE`` copy of it. The module's tests run against that copy,
inside one transaction rolled back afterwards as before, and the process goes back to
its own test database when the module ends: the copy is dropped, so no later test sees
the authority. The key hashes the inputs and the project's source, so a changed
generator never reuses an older authority (scripts/test_db_template.py drops them all
with the template at the start of each run).

Without the template (pytest run on its own) the authority is generated in the test
database in a rolled-back transaction, as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import threading
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import psycopg
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from tests.support.authority import rolled_back

ROOT = Path(__file__).resolve().parents[2]
_SKIPPED_DIRS = {".venv", "node_modules", "tests", ".git", "var", "bench"}


@contextlib.contextmanager
def generated_authority(
    django_db_blocker,
    *,
    end: date,
    scale: str = "tiny",
    seed: int = 1,
    years: int | None = None,
    clock: date | datetime | None = None,
) -> Iterator[str]:
    """The authority ``generate_authority`` builds from these inputs (the clock pinned to
    ``clock`` while it runs, if given), visible to the caller's block only, which runs in a
    transaction rolled back when it ends. Yields what the command printed (with --json)."""
    args = ["--scale", scale, "--seed", str(seed), "--end-date", end.isoformat(), "--json"]
    if years is not None:
        args += ["--years", str(years)]
    template = os.environ.get("CASEFLOW_TEST_DB_TEMPLATE")
    if not template or connection.vendor != "postgresql":
        with rolled_back(django_db_blocker):
            yield _generate(args, clock)
        return
    cached = f"{template}_gen_{_key(args, clock)}"
    output = _cached_authority(django_db_blocker, template, cached, args, clock)
    copy = f"{cached}_{uuid.uuid4().hex[:8]}"
    _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}"), copy, cached)
    home = connection.settings_dict["NAME"]
    try:
        with django_db_blocker.unblock():
            _use_database(copy)
        with rolled_back(django_db_blocker):
            yield output
    finally:
        with django_db_blocker.unblock():
            _use_database(home)
        _drop_in_background(copy)


_DROPPING: list[threading.Thread] = []


def _drop_in_background(name: str) -> None:
    """DROP DATABASE waits for a checkpoint (seconds on a busy machine): the next module
    need not wait for it. One the process leaves behind goes with the template next run."""
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    thread = threading.Thread(target=_admin, args=(statement, name), daemon=True)
    thread.start()
    _DROPPING.append(thread)


def wait_for_drops() -> None:
    """Until every copy this process finished with is dropped."""
    while _DROPPING:
        _DROPPING.pop().join()


def _generate(args: list[str], clock: date | datetime | None) -> str:
    out = StringIO()
    with time_machine.travel(clock, tick=False) if clock else contextlib.nullcontext():
        call_command("generate_authority", *args, stdout=out)
    return out.getvalue()


def _cached_authority(django_db_blocker, template, cached, args, clock) -> str:
    """What the command printed when it built ``cached``; built first if nobody has."""
    lock = Path(tempfile.gettempdir()) / f"caseflow-{_server_id()}-{cached}.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        output = _comment(cached)
        if output is not None:
            return output
        building = f"{cached}_build"
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)"), building)
        _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}"), building, template)
        home = connection.settings_dict["NAME"]
        with django_db_blocker.unblock():
            _use_database(building)
            try:
                output = _generate(args, clock)
            finally:
                _use_database(home)
        # Published under its name only when complete, with what the command printed.
        _admin(sql.SQL("COMMENT ON DATABASE {} IS {}"), building, sql.Literal(output))
        _admin(sql.SQL("ALTER DATABASE {} RENAME TO {}"), building, cached)
        return output


def _use_database(name: str) -> None:
    """Point this process's connection at database ``name``. Content type ids are cached
    per process and a flushed test database may number them differently."""
    connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()


def _owner_url() -> str:
    return os.environ["DATABASE_URL"]


def _admin(statement: sql.Composable, *names) -> None:
    parts = [n if isinstance(n, sql.Composable) else sql.Identifier(n) for n in names]
    with psycopg.connect(_owner_url(), autocommit=True) as conn:
        conn.execute(statement.format(*parts))


def _comment(name: str) -> str | None:
    with psycopg.connect(_owner_url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return row[0] if row else None


def _server_id() -> str:
    db = settings.DATABASES["default"]
    return f"{db.get('HOST') or 'local'}-{db.get('PORT') or ''}".replace("/", "_")


def _key(args: list[str], clock) -> str:
    digest = hashlib.sha256(json.dumps([args, str(clock)]).encode())
    digest.update(_source_digest().encode())
    return digest.hexdigest()[:16]


_SOURCE_DIGEST: list[str] = []


def _source_digest() -> str:
    """Every Python file and migration the generator could run, hashed once per process."""
    if not _SOURCE_DIGEST:
        sha = hashlib.sha256()
        for path in sorted(ROOT.rglob("*.py")):
            rel = path.relative_to(ROOT)
            if rel.parts[0] in _SKIPPED_DIRS:
                continue
            sha.update(str(rel).encode() + b"\0" + path.read_bytes())
        _SOURCE_DIGEST.append(sha.hexdigest())
    return _SOURCE_DIGEST[0]

"""A throwaway copy of the migrated test template (scripts/test_db_template.py)."""

from __future__ import annotations

import contextlib
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def with_database(url: str, name: str) -> str:
    """``url`` (postgres://role@host:port/db) naming database ``name`` instead."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextlib.contextmanager
def template_copy():
    """Under `make test` (CASEFLOW_TEST_DB_TEMPLATE set): a new database copied from the
    migrated template, as {DATABASE_URL, DATABASE_APP_URL} for a subprocess; dropped
    afterwards. Without the template: {} (the subprocess uses the environment's database
    and migrates it itself)."""
    template = os.environ.get("CASEFLOW_TEST_DB_TEMPLATE")
    if not template:
        yield {}
        return
    owner = os.environ["DATABASE_URL"]
    name = f"copy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    urls = {"DATABASE_URL": with_database(owner, name)}
    if app := os.environ.get("DATABASE_APP_URL"):
        urls["DATABASE_APP_URL"] = with_database(app, name)
    try:
        yield urls
    finally:
        with psycopg.connect(owner, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

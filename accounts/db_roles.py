"""The database role the application runs as owns nothing (issue 16, finding 6).

Migrations (and the one-off setup commands: ``generate_authority``, ``load_demo``) run as
the owner role named in ``DATABASE_URL`` for them; the web processes and Celery connect
as ``CASEFLOW_DB_APP_ROLE``, which may read and write ordinary tables but only INSERT and
SELECT the audit table. Not owning the audit table, it cannot TRUNCATE it, drop or
disable its append-only trigger, or (not being a superuser) set
``session_replication_role`` to skip triggers.

After every ``migrate`` the owner grants the app role its rights on every table, and sets
default privileges so a table a later migration creates is granted the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections

APPEND_ONLY_TABLES = ("accounts_auditevent",)


def grant_statements(role: str) -> list[str]:
    r = '"{}"'.format(role.replace('"', '""'))
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r}",
        # Tables and sequences the owner creates later (new migrations) get the same.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {r}",
    ]
    for table in APPEND_ONLY_TABLES:
        statements += [f"REVOKE ALL ON {table} FROM {r}", f"GRANT SELECT, INSERT ON {table} TO {r}"]
    return statements


def grant_app_role(using: str = "default") -> bool:
    """Grant the app role its rights in ``using``'s database; False when there is none to
    grant (SQLite, no role configured, the role missing, or migrating as the role itself)."""
    role = settings.CASEFLOW_DB_APP_ROLE
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)",
                       [role])  # fmt: skip
        current, exists = cursor.fetchone()
        if not exists or current == role:
            return False
        for statement in grant_statements(role):
            cursor.execute(statement)
    return True


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    grant_app_role(using)

"""Issue 16, finding 6: the application's PostgreSQL role owns nothing.

Connected as that role (CASEFLOW_DB_APP_ROLE, created by scripts/services.py) to the test
database, every way past the audit table's append-only trigger is refused: TRUNCATE,
disabling or dropping the trigger, session_replication_role = replica, UPDATE and
DELETE. INSERT and SELECT work, and so does ordinary DML on the other tables, including
a table created by a later migration (default privileges).
"""

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from accounts.db_roles import grant_app_role

AUDIT = "accounts_auditevent"
INSERT_AUDIT = (
    f"INSERT INTO {AUDIT} (action, path, object_repr, occurred_at) "
    "VALUES ('view', '/probe/', '', now()) RETURNING id"
)
REFUSED = [
    f"TRUNCATE {AUDIT}",
    f"TRUNCATE {AUDIT} CASCADE",
    f"ALTER TABLE {AUDIT} DISABLE TRIGGER accounts_auditevent_append_only",
    f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL",
    f"DROP TRIGGER accounts_auditevent_append_only ON {AUDIT}",
    "SET session_replication_role = replica",
    f"UPDATE {AUDIT} SET path = '/changed/' WHERE id = %(id)s",
    f"DELETE FROM {AUDIT} WHERE id = %(id)s",
    f"ALTER TABLE {AUDIT} OWNER TO CURRENT_USER",
    f"DROP TABLE {AUDIT}",
]


@pytest.fixture
def app_role(requires_postgres):
    role = settings.CASEFLOW_DB_APP_ROLE
    if not role:
        pytest.fail("CASEFLOW_DB_APP_ROLE is unset: run the suite under scripts/services.py")
    return role


def _connect_as(role: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=role,
        password=db.get("PASSWORD") or None,
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("statement", REFUSED)
def test_the_app_role_cannot_get_past_the_append_only_audit(app_role, statement):
    with _connect_as(app_role) as conn, conn.transaction(force_rollback=True):
        cur = conn.cursor()
        cur.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
        assert cur.fetchone() == (False, False)
        audit_id = cur.execute(INSERT_AUDIT).fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            cur.execute(statement, {"id": audit_id})
        # The row is still there, unchanged, and the trigger still fires.
        row = cur.execute(f"SELECT path FROM {AUDIT} WHERE id = %s", [audit_id]).fetchone()
        assert row == ("/probe/",)
        cur.execute("SHOW session_replication_role")
        assert cur.fetchone() == ("origin",)


@pytest.mark.django_db
def test_the_app_role_inserts_and_reads_audit_rows_and_writes_case_tables(app_role):
    with _connect_as(app_role) as conn, conn.transaction(force_rollback=True):
        cur = conn.cursor()
        audit_id = cur.execute(INSERT_AUDIT).fetchone()[0]
        assert cur.execute(f"SELECT count(*) FROM {AUDIT} WHERE id = %s", [audit_id]).fetchone()
        cur.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('probe', 'x', now())"
        )
        cur.execute("UPDATE django_session SET session_data = 'y' WHERE session_key = 'probe'")
        cur.execute("DELETE FROM django_session WHERE session_key = 'probe'")
        assert cur.rowcount == 1


@pytest.mark.django_db(transaction=True)
def test_a_table_a_later_migration_creates_is_granted_to_the_app_role(app_role):
    with connection.cursor() as owner:
        owner.execute("CREATE TABLE probe_later_migration (id serial PRIMARY KEY, v text)")
    try:
        with _connect_as(app_role) as conn, conn.transaction(force_rollback=True):
            cur = conn.cursor()
            cur.execute("INSERT INTO probe_later_migration (v) VALUES ('x')")
            cur.execute("UPDATE probe_later_migration SET v = 'y'")
            assert cur.execute("SELECT v FROM probe_later_migration").fetchall() == [("y",)]
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                cur.execute("TRUNCATE probe_later_migration")
    finally:
        with connection.cursor() as owner:
            owner.execute("DROP TABLE probe_later_migration")


@pytest.mark.django_db
def test_migrate_grants_nothing_when_no_app_role_is_configured(settings):
    settings.CASEFLOW_DB_APP_ROLE = ""
    assert grant_app_role() is False

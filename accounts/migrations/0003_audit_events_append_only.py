"""Audit events cannot be changed or deleted, even by the application's own database user.

A PostgreSQL trigger raises on every UPDATE or DELETE of accounts_auditevent (row level,
so it also fires for rows reached through cascades). TRUNCATE is left alone because
Django's test runner empties tables that way between transactional tests; the
application never truncates. SQLite (the demo) relies on the model's guards only.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION caseflow_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION caseflow_audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS caseflow_audit_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_restricted_access_and_audit")]
    operations = [migrations.RunPython(forwards, backwards)]

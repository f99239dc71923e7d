"""Audit rows are append-only: the model refuses, and PostgreSQL refuses the app's own user."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import AUDIT_APPEND_ONLY, AuditEvent
from tests.accounts.builders import make_child, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return AuditEvent.objects.create(
        user=make_user(),
        child=make_child(),
        action=AuditEvent.Action.VIEW,
        path="/children/1/",
        occurred_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accounts_auditevent SET action = 'change' WHERE id = %s",
        "UPDATE accounts_auditevent SET user_id = NULL WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ],
)
def test_the_databases_own_user_cannot_change_or_delete_an_audit_row(
    event, statement, requires_postgres
):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    event_after = AuditEvent.objects.get(pk=event.pk)
    assert (event_after.action, event_after.user_id) == (event.action, event.user_id)


def test_saving_an_existing_audit_row_is_refused(event):
    event.action = AuditEvent.Action.CHANGE
    with pytest.raises(PermissionError, match=AUDIT_APPEND_ONLY):
        event.save()


def test_deleting_audit_rows_is_refused(event):
    with pytest.raises(PermissionError, match=AUDIT_APPEND_ONLY):
        event.delete()
    with pytest.raises(PermissionError, match=AUDIT_APPEND_ONLY):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError, match=AUDIT_APPEND_ONLY):
        AuditEvent.objects.update(path="/elsewhere/")
    assert AuditEvent.objects.filter(pk=event.pk, path="/children/1/").exists()

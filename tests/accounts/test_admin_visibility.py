"""The Django admin is a page too: the same rule, and record pages are audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Role, User
from accounts.services import child_restrict
from tests.accounts.builders import make_child, make_user

pytestmark = pytest.mark.django_db


def test_an_administrator_not_on_the_access_list_cannot_find_a_restricted_child(client):
    admin = User.objects.create_superuser(username="root", password="x", role=Role.ADMINISTRATOR)
    open_child, hidden = make_child(last_name="Openly"), make_child(last_name="Hiddenly")
    child_restrict(
        child=hidden,
        by=make_user(Role.HEAD_OF_SERVICE),
        reason="high_profile",
        review_on=timezone.localdate() + timedelta(days=30),
        users=[],
    )
    client.force_login(admin)
    listing = client.get("/admin/casework/child/").content.decode()
    assert "Openly" in listing and "Hiddenly" not in listing
    assert client.get(f"/admin/casework/child/{hidden.pk}/change/").status_code == 302
    assert client.get(f"/admin/casework/child/{open_child.pk}/change/").status_code == 200
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert list(views.values_list("child_id", "user_id")) == [(open_child.pk, admin.pk)]

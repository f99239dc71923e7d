"""Issue 16 findings 1 and 2: the admin's history pages follow the visibility rule, are
audited per child, and are read-only (no revert, no save through a POST)."""

import pytest
from django.contrib import admin

from accounts.models import AuditEvent
from casework.models import CaseRecord, Child
from tests.casework import records
from tests.casework.test_admin import REGISTERED, one_of_everything, url  # noqa: F401

pytestmark = pytest.mark.django_db

HISTORY_RECORDS = [
    model
    for model in REGISTERED
    if issubclass(model, CaseRecord) and hasattr(admin.site._registry[model], "history_view")
]


def _row_and_child(model):
    """The first row of ``model`` about a child, and that child (through the admin's own
    child path), so every history-registered model is exercised: none is skipped."""
    model_admin = admin.site._registry[model]
    field = model_admin.child_field
    rows = model._default_manager.order_by("pk")
    obj = rows.first() if field == "pk" else rows.filter(**{f"{field}__isnull": False}).first()
    assert obj is not None, f"the fixture has no {model._meta.label} about a child"
    return obj, Child.objects.get(pk=model_admin.children_of(obj)[0])


@pytest.mark.parametrize("model", HISTORY_RECORDS, ids=lambda model: model._meta.label)
def test_history_of_a_restricted_childs_records_is_not_found(client, one_of_everything, model):  # noqa: F811
    admin_user = records.administrator("not-on-the-list")
    client.force_login(admin_user)
    obj, restricted_child = _row_and_child(model)
    Child.objects.filter(pk=restricted_child.pk).update(is_restricted=True)  # nobody listed
    version = obj.history.order_by("history_id").first().history_id

    listing = client.get(url(model, "history", obj.pk))
    one = client.get(url(model, "simple_history", obj.pk, version))

    assert listing.status_code == 404
    assert one.status_code == 404
    assert restricted_child.last_name not in one.content.decode()
    assert not AuditEvent.objects.filter(user=admin_user).exists()


@pytest.mark.parametrize("model", HISTORY_RECORDS, ids=lambda model: model._meta.label)
def test_reading_history_is_audited_against_the_child(client, one_of_everything, model):  # noqa: F811
    admin_user = records.administrator("reader")
    client.force_login(admin_user)
    obj, child = _row_and_child(model)
    version = obj.history.order_by("history_id").first().history_id

    assert client.get(url(model, "history", obj.pk)).status_code == 200
    assert client.get(url(model, "simple_history", obj.pk, version)).status_code == 200

    seen = AuditEvent.objects.filter(user=admin_user, child=child, action="view")
    assert seen.count() == 2  # one per page read


def test_a_post_to_a_history_version_reverts_and_saves_nothing(client):
    from accounts.models import RestrictedAccess

    admin_user = records.administrator("on-the-list")
    client.force_login(admin_user)
    child = records.child(postcode="AB1 2CD")
    first = child.history.order_by("history_id").first().history_id
    child.postcode, child.is_restricted, child.version = "ZZ9 9ZZ", True, 2
    child.save()
    # On the access list, so the page may be read; a POST must still change nothing.
    access = RestrictedAccess.objects.create(
        child=child,
        reason="other",
        review_on="2030-01-01",
        set_by=admin_user,
        set_at="2025-01-01T00:00:00Z",
    )
    access.users.add(admin_user)
    versions = child.history.count()

    response = client.post(url(Child, "simple_history", child.pk, first), {})

    assert response.status_code == 405
    child.refresh_from_db()
    assert (child.postcode, child.is_restricted, child.version) == ("ZZ9 9ZZ", True, 2)
    assert child.history.count() == versions


def test_a_history_id_that_is_not_a_number_is_not_found(client):
    client.force_login(records.administrator("typist"))
    child = records.child()
    assert client.get(url(Child, "simple_history", child.pk, "abc")).status_code == 404
    assert client.get(url(Child, "history", "abc")).status_code == 404

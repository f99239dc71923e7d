"""Administrators restrict and lift records from a page; the contact form keeps the secret."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import errors
from accounts.models import AuditEvent, RestrictedAccess, RestrictionReason, Role
from accounts.services import child_restrict
from referrals.models import Contact
from tests.accounts.builders import allocate, make_child, make_team, make_user

pytestmark = pytest.mark.django_db
REVIEW_ON = timezone.localdate() + timedelta(days=90)


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _token(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"].initial["form_token"]


def test_an_administrator_restricts_a_record_to_a_named_access_list(client):
    admin = make_user(Role.ADMINISTRATOR)
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    other = make_user(Role.SOCIAL_WORKER, team=team)
    child = make_child()
    allocate(child, worker)
    client.force_login(admin)
    data = {
        "form_token": _token(client, "/accounts/restrictions/new/"),
        "la_child_id": child.la_child_id.lower(),
        "reason": RestrictionReason.STAFF_RELATIVE,
        "reason_detail": "Sister of a team member",
        **_date("review_on", REVIEW_ON),
        "users": worker.username,
    }
    assert client.post("/accounts/restrictions/new/", data).status_code == 302
    access = RestrictedAccess.objects.get(child=child, lifted_at__isnull=True)
    assert (access.reason, access.review_on, access.set_by) == ("staff_relative", REVIEW_ON, admin)
    assert set(access.users.all()) == {worker, admin}
    child.refresh_from_db()
    assert child.is_restricted
    client.force_login(other)
    assert client.get(f"/children/{child.pk}/").status_code == 404
    client.force_login(worker)
    assert client.get(f"/children/{child.pk}/").status_code == 200
    client.force_login(admin)
    listing = client.get("/accounts/restrictions/").content.decode()
    assert child.la_child_id in listing and "govuk-table" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"la_child_id": "NOPE1"}, "No child found with LA child ID NOPE1"),
        ({"reason": ""}, "Select reason"),
        (_date("review_on", timezone.localdate()), errors.RESTRICT_NEEDS_REVIEW_DATE),
        ({"users": "nobody-here"}, "No active user with username nobody-here"),
    ],
)
def test_bad_restriction_input_shows_a_message_beside_the_field_and_saves_nothing(
    client, changes, message
):
    admin = make_user(Role.ADMINISTRATOR)
    child = make_child()
    client.force_login(admin)
    data = {
        "form_token": "t",
        "la_child_id": child.la_child_id,
        "reason": RestrictionReason.HIGH_PROFILE,
        **_date("review_on", REVIEW_ON),
        "users": "",
    }
    response = client.post("/accounts/restrictions/new/", {**data, **changes})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert not RestrictedAccess.objects.exists()


def test_an_administrator_lifts_a_restriction_and_it_is_kept_as_history(client):
    admin = make_user(Role.ADMINISTRATOR)
    head = make_user(Role.HEAD_OF_SERVICE)
    child = make_child()
    access = child_restrict(
        child=child, by=head, reason=RestrictionReason.ADOPTION, review_on=REVIEW_ON, users=[]
    )
    client.force_login(admin)  # not on the access list: administrators may still lift
    url = f"/accounts/restrictions/{access.pk}/lift/"
    token = _token(client, url)
    empty = client.post(url, {"form_token": token, "reason": ""})
    assert "Enter why is the restriction being lifted?" in empty.content.decode()
    assert client.post(url, {"form_token": token, "reason": "Order made"}).status_code == 302
    access.refresh_from_db()
    assert (access.lifted_by, access.lifted_reason) == (admin, "Order made")
    child.refresh_from_db()
    assert not child.is_restricted
    assert client.get(url).status_code == 404  # nothing current to lift
    assert AuditEvent.objects.filter(child=child, object_repr="Restriction lifted: Order made")


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_only_administrators_have_the_restriction_pages(client, role):
    head = make_user(Role.HEAD_OF_SERVICE)
    access = child_restrict(
        child=make_child(), by=head, reason="other", review_on=REVIEW_ON, users=[]
    )
    client.force_login(make_user(role, team=make_team()))
    for url in ("/accounts/restrictions/", "/accounts/restrictions/new/"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/accounts/restrictions/{access.pk}/lift/").status_code == 403


def test_the_contact_form_answers_a_restricted_id_as_if_it_did_not_exist(client):
    recorder = make_user(Role.BUSINESS_SUPPORT, team=make_team())
    hidden = make_child()
    child_restrict(
        child=hidden, by=make_user(Role.HEAD_OF_SERVICE), reason="other", review_on=REVIEW_ON,
        users=[],
    )  # fmt: skip
    client.force_login(recorder)
    data = {
        "form_token": "t",
        **_date("received_on", timezone.localdate()),
        "received_time": "00:01",
        "source": "6",
        "reason": "Call",
    }
    bodies = []
    for la_child_id in (hidden.la_child_id, "NOPE1"):
        response = client.post("/contacts/new/", {**data, "children": la_child_id})
        assert response.status_code == 200
        bodies.append(response.content.decode())
    assert f"No child found with LA child ID {hidden.la_child_id}" in bodies[0]
    assert "No child found with LA child ID NOPE1" in bodies[1]
    assert not Contact.objects.exists()

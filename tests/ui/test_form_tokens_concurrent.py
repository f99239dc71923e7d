"""Form tokens are required and claimed atomically: simultaneous submits save once.

Threads post one form with one token at the same moment, each on its own connection to
PostgreSQL (transactional test, so each request's transaction really commits).
"""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from casework.models import UsedFormToken, Visit
from referrals.models import Contact
from tests.ui import builders

N = 4


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _post_simultaneously(user, url, data) -> list[int]:
    start = threading.Barrier(N)
    statuses: list[int] = []

    def submit():
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return statuses


def _contact_form(kids):
    return {
        "form_token": "one-token",
        **_date("received_on", date(2025, 6, 16)),
        "received_time": "09:30",
        "source": "6",
        "children": "\n".join(k.la_child_id for k in kids),
        "reason": "Police call",
    }


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_contact_form_save_one_contact(requires_postgres):
    builders.authority()
    team = builders.team("Front door")
    mary = builders.user_with_worker("mary", "team_manager", team)
    kids = builders.children(2)
    statuses = _post_simultaneously(mary, "/contacts/new/", _contact_form(kids))
    assert statuses == [302] * N
    assert Contact.objects.count() == 1
    assert UsedFormToken.objects.filter(user=mary, token="one-token").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_visit_form_save_one_visit(requires_postgres):
    builders.authority()
    team = builders.team("Assessment 1")
    alice = builders.user_with_worker("alice", "social_worker", team)
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    data = {
        "form_token": "one-visit",
        "kind": "cin",
        **_date("visited_on", date(2025, 6, 11)),
        "child_seen": "yes",
        "seen_alone": "yes",
        "notes": "",
    }
    statuses = _post_simultaneously(alice, f"/referrals/{referral.pk}/visit/", data)
    assert statuses == [302] * N
    assert Visit.objects.filter(child=referral.child).count() == 1


def test_a_post_without_a_token_is_refused_with_a_reason(mary, siblings_for_contact, login):
    data = _contact_form(siblings_for_contact)
    del data["form_token"]
    response = login(mary).post("/contacts/new/", data)
    assert response.status_code == 400
    assert "This form was not sent from a Caseflow page" in response.content.decode()
    assert Contact.objects.count() == 0


def test_a_refused_save_frees_the_token_for_the_corrected_form(mary, siblings_for_contact, login):
    client = login(mary)
    bad = {**_contact_form(siblings_for_contact), "children": "NOPE123"}
    assert client.post("/contacts/new/", bad).status_code == 200
    good = _contact_form(siblings_for_contact)
    assert client.post("/contacts/new/", good).status_code == 302
    assert Contact.objects.count() == 1


@pytest.fixture
def siblings_for_contact(mary):
    return builders.children(2, last_name="Sibling")


def test_the_nightly_purge_forgets_only_old_tokens(mary):
    from datetime import timedelta

    from django.utils import timezone

    from casework.tasks import USED_TOKEN_DAYS, purge_used_form_tokens

    old = UsedFormToken.objects.create(user=mary, token="old", redirect_to="/")
    recent = UsedFormToken.objects.create(user=mary, token="recent", redirect_to="/")
    UsedFormToken.objects.filter(pk=old.pk).update(
        used_at=timezone.now() - timedelta(days=USED_TOKEN_DAYS + 1)
    )
    assert purge_used_form_tokens.apply().get() == 1  # the task, run here
    assert list(UsedFormToken.objects.values_list("token", flat=True)) == [recent.token]

"""Issue 16, findings 3, 5, 8 and 9, and token scopes and expiry, through the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEvent, Role
from api.models import ApiToken
from casework.models import Allocation, Team, WorkerRole
from referrals.models import Contact
from tests.api.bulk import bulk_cases
from tests.api.test_reads import CHILD_RESOURCES
from tests.api.test_writes import post
from tests.factories.casework import ChildFactory, TeamFactory, WorkerFactory

CONTACT = {"received_at": "2025-03-03T09:30:00Z", "source": "6", "reason": "Concern"}


# -- finding 3: a contact naming children the caller cannot open -------------------------


def test_a_contact_naming_children_one_cannot_open_is_refused_and_names_nobody(
    allocated, sw, client_for
):
    hidden = [ChildFactory(first_name="Secretname") for _ in range(3)]
    contacts = Contact.objects.count()

    response = post(
        client_for(sw), "/api/v1/contacts/", {**CONTACT, "children": [c.pk for c in hidden]}
    )

    assert response.status_code == 400
    assert "Secretname" not in response.content.decode()
    assert all(c.last_name not in response.content.decode() for c in hidden)
    assert Contact.objects.count() == contacts


def test_one_hidden_child_among_visible_ones_refuses_the_whole_contact(allocated, sw, client_for):
    hidden = ChildFactory(first_name="Secretname")
    contacts = Contact.objects.count()

    response = post(
        client_for(sw),
        "/api/v1/contacts/",
        {**CONTACT, "children": [allocated.child_id, hidden.pk]},
    )

    assert response.status_code == 400
    assert "Secretname" not in response.content.decode()
    assert Contact.objects.count() == contacts


# -- finding 5: lists audit every child they show ----------------------------------------


@pytest.mark.parametrize("name, model", CHILD_RESOURCES, ids=[r[0] for r in CHILD_RESOURCES])
def test_a_list_writes_one_audit_row_per_child_shown(name, model, hos, client_for):
    bulk_cases(3)

    response = client_for(hos).get(reverse(f"api:{name}-list"), {"page_size": 200})

    assert response.status_code == 200
    rows = response.json()["results"]
    shown = set()
    for row in rows:
        if name == "child":
            shown.add(row["id"])
        elif name == "contact":
            shown.update(line["child"]["id"] for line in row["children"])
        else:
            child = row["child"]
            shown.add(child["id"] if isinstance(child, dict) else child)
    audited = AuditEvent.objects.filter(user=hos, action=AuditEvent.Action.VIEW)
    assert shown and set(audited.values_list("child_id", flat=True)) == shown
    assert audited.count() == len(shown)


# -- finding 8: allocation only to a case-holding worker of the caller's team ------------


def test_a_manager_cannot_allocate_to_another_teams_worker(referral, tm, client_for):
    stranger = WorkerFactory(team=TeamFactory(name="Another team"))

    response = post(
        client_for(tm),
        f"/api/v1/referrals/{referral.pk}/allocate/",
        {"worker": stranger.pk, "started_on": "2025-03-03"},
    )

    assert response.status_code == 400
    assert "worker" in response.json()
    assert not Allocation.objects.filter(referral=referral).exists()


def test_an_allocation_cannot_put_a_worker_in_another_team(referral, sw, tm, client_for):
    mash = Team.objects.create(name="MASH", service_area="front_door")

    response = post(
        client_for(tm),
        f"/api/v1/referrals/{referral.pk}/allocate/",
        {"worker": sw.worker.pk, "team": mash.pk, "started_on": "2025-03-03"},
    )

    assert response.status_code == 400
    assert "team" in response.json()
    assert not Allocation.objects.filter(referral=referral).exists()


def test_a_case_cannot_be_allocated_to_a_worker_who_holds_no_cases(referral, team, hos, client_for):
    clerk = WorkerFactory(
        team=team, role=WorkerRole.BUSINESS_SUPPORT, user_role=Role.BUSINESS_SUPPORT
    )

    response = post(
        client_for(hos),
        f"/api/v1/referrals/{referral.pk}/allocate/",
        {"worker": clerk.pk, "started_on": "2025-03-03"},
    )

    assert response.status_code == 400
    assert "worker" in response.json()
    assert not Allocation.objects.filter(referral=referral).exists()


# -- finding 9: KPI values for a scope the caller may not see -----------------------------


def test_kpi_values_for_another_team_are_refused_to_a_manager(tm, client_for):
    other = TeamFactory(name="Not mine")
    stranger = WorkerFactory(team=other)
    client = client_for(tm)
    query = {"period": "FY2024-25"}

    assert (
        client.get(reverse("api:kpi-list"), {**query, "scope": f"team:{other.pk}"}).status_code
        == 403
    )
    assert (
        client.get(reverse("api:kpi-list"), {**query, "scope": f"worker:{stranger.pk}"}).status_code
        == 403
    )
    own = client.get(reverse("api:kpi-list"), {**query, "scope": f"team:{tm.worker.team_id}"})
    assert own.status_code == 200


# -- tokens: read-only scope and expiry ---------------------------------------------------


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_read_only_token_reads_but_cannot_write(hos, client_for):
    issued = client_for(hos).post(
        "/api/v1/tokens/", {"name": "Dashboard", "scope": "read"}, format="json"
    )
    assert issued.status_code == 201, issued.json()
    assert issued.json()["scope"] == "read"
    client = bearer(issued.json()["token"])

    assert client.get("/api/v1/children/").status_code == 200
    refused = post(
        client,
        "/api/v1/children/",
        {
            "la_child_id": "X1",
            "first_name": "A",
            "last_name": "B",
            "sex": "F",
            "date_of_birth": "2015-01-01",
        },
    )
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    listed = client_for(hos).get("/api/v1/tokens/").json()["results"]
    assert listed[0]["scope"] == "read"


def test_a_token_is_read_write_unless_asked_otherwise(hos, client_for):
    issued = client_for(hos).post("/api/v1/tokens/", {"name": "MASH tool"}, format="json")
    assert issued.json()["scope"] == "read_write"
    # Revoking itself is a write the token's user may make.
    revoked = bearer(issued.json()["token"]).delete(f"/api/v1/tokens/{issued.json()['id']}/")
    assert revoked.status_code == 204
    assert ApiToken.objects.get(pk=issued.json()["id"]).revoked_at is not None


def test_an_unknown_scope_is_400(hos, client_for):
    response = client_for(hos).post(
        "/api/v1/tokens/", {"name": "x", "scope": "admin"}, format="json"
    )
    assert response.status_code == 400
    assert "scope" in response.json()


def test_an_expired_token_is_401_and_says_it_expired(hos, client_for):
    soon = timezone.now() + timedelta(days=1)
    issued = (
        client_for(hos)
        .post("/api/v1/tokens/", {"name": "Temp", "expires_at": soon.isoformat()}, format="json")
        .json()
    )
    ApiToken.objects.filter(pk=issued["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = bearer(issued["token"]).get("/api/v1/children/")

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token expired on ")

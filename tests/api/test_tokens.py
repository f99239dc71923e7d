"""Tokens for systems: shown once, stored hashed, listed without the secret, revocable."""

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken


@pytest.fixture
def issued(hos, client_for):
    response = client_for(hos).post("/api/v1/tokens/", {"name": "MASH tool"}, format="json")
    assert response.status_code == 201
    return response.json()


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_created_token_is_shown_once_and_stored_only_as_a_digest(issued, hos, client_for):
    secret = issued["token"]
    stored = ApiToken.objects.get()
    assert secret.startswith("cf_") and len(secret) > 40
    assert secret not in (stored.digest, stored.prefix) and stored.prefix == secret[:10]
    listed = client_for(hos).get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["MASH tool"]
    assert "token" not in listed[0] and secret not in str(listed)


def test_a_token_authenticates_until_it_is_revoked(issued, hos, client_for):
    client = bearer(issued["token"])
    assert client.get("/api/v1/children/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    revoked = client_for(hos).delete(f"/api/v1/tokens/{issued['id']}/")
    assert revoked.status_code == 204
    assert client.get("/api/v1/children/").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_revoking_twice_is_400(issued, hos, client_for):
    client = client_for(hos)
    client.delete(f"/api/v1/tokens/{issued['id']}/")
    assert client.delete(f"/api/v1/tokens/{issued['id']}/").status_code == 400


def test_a_token_cannot_create_tokens(issued):
    response = bearer(issued["token"]).post("/api/v1/tokens/", {"name": "x"}, format="json")
    assert response.status_code == 403


def test_nobody_else_can_see_or_revoke_your_token(issued, outsider, client_for):
    client = client_for(outsider)
    assert client.get("/api/v1/tokens/").json()["count"] == 0
    assert client.delete(f"/api/v1/tokens/{issued['id']}/").status_code == 404


def test_a_disabled_users_token_stops_working(issued, hos):
    hos.is_active = False
    hos.save()
    assert bearer(issued["token"]).get("/api/v1/children/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer nonsense", "Bearer \u00e9"])
def test_a_bad_authorization_header_is_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/children/").status_code == 401


def test_a_browser_session_works_too(hos, client):
    client.force_login(hos)
    assert client.get("/api/v1/children/").status_code == 200

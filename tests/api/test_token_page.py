"""The token page: create (scope and expiry, secret shown once), list, revoke."""

import re

from api.models import ApiToken


def test_a_read_only_token_is_created_on_the_page_and_shown_once(hos, client):
    client.force_login(hos)

    created = client.post(
        "/accounts/api-tokens/", {"name": "Dashboard", "scope": "read", "expires": "30"}
    )

    assert created.status_code == 200
    body = created.content.decode()
    secret = re.search(r'<code id="cf-token-secret">([^<]+)</code>', body)[1]
    token = ApiToken.objects.get(user=hos)
    assert (token.name, token.scope, token.prefix) == ("Dashboard", "read", secret[:10])
    assert token.expires_at is not None
    assert "Read only" in body and "no-store" in created["Cache-Control"]
    again = client.get("/accounts/api-tokens/").content.decode()
    assert secret not in again and "Dashboard" in again and "Read only" in again


def test_a_token_without_a_name_is_refused_beside_the_field(hos, client):
    client.force_login(hos)

    response = client.post("/accounts/api-tokens/", {"name": "", "scope": "read", "expires": "30"})

    assert response.status_code == 200
    assert "Enter which system will use the token" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_is_revoked_from_the_page_and_only_by_its_owner(hos, outsider, client):
    client.force_login(hos)
    client.post(
        "/accounts/api-tokens/", {"name": "MASH", "scope": "read_write", "expires": "never"}
    )
    token = ApiToken.objects.get(user=hos)

    client.force_login(outsider)
    revoke = "/accounts/api-tokens/revoke/"
    assert client.post(revoke, {"token": token.pk}).status_code == 404
    assert client.post(revoke, {"token": "x" * 30}).status_code == 404
    client.force_login(hos)
    assert client.post(revoke, {"token": token.pk}).status_code == 302

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/accounts/api-tokens/").content.decode()

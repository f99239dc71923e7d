"""Issue 16, finding 11: input that used to be a 500 is a 4xx with a reason."""

import json
import re

import pytest

from api.parsers import MAX_DEPTH
from referrals.models import Contact


def _post_routes() -> list[str]:
    """Every API route, ids filled with 1 (the parser runs wherever a body is read)."""
    from django.urls import URLResolver, get_resolver

    routes = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif not re.search(r"format|schema|docs|redoc", route):
                route = re.sub(r"\(\?P<[^>]+>[^)]*\)|<[^>]+>", "1", route)
                routes.add("/api/v1/" + route.replace("^", "").replace("$", "").replace("\\", ""))

    walk(get_resolver("api.urls").url_patterns, "")
    return sorted(routes)


CREATE_ENDPOINTS = [
    "/api/v1/children/",
    "/api/v1/contacts/",
    "/api/v1/referrals/",
    "/api/v1/assessments/",
    "/api/v1/strategy-discussions/",
    "/api/v1/cp-plans/",
    "/api/v1/cin-plans/",
    "/api/v1/visits/",
    "/api/v1/tokens/",
]


def _post_json(client, url, body: str):
    return client.post(url, body, content_type="application/json")


def test_a_contact_received_before_the_calendar_is_a_400_with_a_reason(tm, allocated, client_for):
    child = allocated.child  # a child tm's team holds, so tm may name it on a contact
    body = {
        "received_at": "1999-12-31T10:00:00Z",
        "source": "6",
        "reason": "Old",
        "children": [child.pk],
    }
    response = client_for(tm).post("/api/v1/contacts/", body, format="json")
    assert response.status_code == 400
    assert "between 01/01/2000 and 31/12/2045" in json.dumps(response.json())
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("url", CREATE_ENDPOINTS)
@pytest.mark.parametrize("bracket", ["[", '{"a":'])
def test_deeply_nested_json_is_a_400_on_every_create_endpoint(url, bracket, tm, client_for):
    body = bracket * 50_000
    response = _post_json(client_for(tm), url, body)
    assert response.status_code == 400, response.content[:300]
    assert "nested more than" in response.json()["detail"]


def test_deeply_nested_json_is_never_a_500_on_any_api_route(tm, client_for, allocated):
    client = client_for(tm)
    routes = _post_routes()
    assert len(routes) > 20
    # The referral's own actions read the body after finding it.
    routes += [r.replace("/1/", f"/{allocated.pk}/") for r in routes if "/referrals/1/" in r]
    answers = {url: _post_json(client, url, "[" * 50_000).status_code for url in routes}
    assert {url: code for url, code in answers.items() if code >= 500} == {}


def test_json_nested_within_the_limit_still_parses(tm, allocated, client_for):
    child = allocated.child  # a child tm's team holds, so tm may name it on a contact
    body = json.dumps({"received_at": "2025-06-02T08:00:00Z", "source": "6", "reason": "x",
                       "children": [child.pk], "extra": [[[]]]})  # fmt: skip
    response = _post_json(client_for(tm), "/api/v1/contacts/", body)
    assert response.status_code == 201, response.content[:300]
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert _post_json(client_for(tm), "/api/v1/contacts/", deep).status_code == 400


def test_brackets_inside_strings_do_not_count_as_nesting(tm, allocated, client_for):
    child = allocated.child  # a child tm's team holds, so tm may name it on a contact
    body = json.dumps({"received_at": "2025-06-02T08:00:00Z", "source": "6",
                       "reason": "[" * 1000, "children": [child.pk]})  # fmt: skip
    assert _post_json(client_for(tm), "/api/v1/contacts/", body).status_code == 201


def test_a_nul_in_a_json_string_is_a_400(tm, allocated, client_for):
    child = allocated.child  # a child tm's team holds, so tm may name it on a contact
    body = json.dumps({"received_at": "2025-06-02T08:00:00Z", "source": "6",
                       "reason": "a\u0000b", "children": [child.pk]})  # fmt: skip
    response = _post_json(client_for(tm), "/api/v1/contacts/", body)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    ["/children/?q=%00", "/children/?q=a%00b", "/front-door/?sort=%00", "/api/v1/children/?q=%00"],
)
def test_a_nul_in_a_query_string_is_a_400_on_postgresql(url, tm, client, requires_postgres):
    client.force_login(tm)
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    if url.startswith("/api/"):
        assert "NUL character" in response.json()["detail"]


def test_a_nul_in_a_form_field_is_a_400(tm, client):
    client.force_login(tm)
    response = client.post("/contacts/new/", {"reason": "a\x00b", "form_token": "t"})
    assert response.status_code == 400
    assert Contact.objects.count() == 0

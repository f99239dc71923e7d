"""Every URL that names a child, walked for every role x record state.

URL patterns are collected from the resolver, so a page added later with a ``child``
keyword argument is walked (and must be guarded) without touching this file. A record
one may not see answers 404, never 403: its existence is not disclosed.
"""

import re

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from accounts.audit import audit_child_access
from accounts.models import AuditEvent, Role
from accounts.permissions import CHILD_URL_KWARGS
from tests.accounts.builders import allocate, make_child, make_team, make_user
from tests.accounts.conftest import EXPECTED, STATES

pytestmark = pytest.mark.django_db

# Pages beyond the visibility rule that also need a role; others answer 403.
ROLE_GATED = {"child_audit": {Role.TEAM_MANAGER, Role.ADMINISTRATOR}}


def child_url_names(resolver=None, namespace=""):
    """(name, kwarg) for every named URL pattern whose only arguments name a child."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += child_url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            kwargs = set(entry.pattern.regex.groupindex)
            named_child = kwargs & set(CHILD_URL_KWARGS)
            if named_child and kwargs == named_child and entry.name:
                found.append((f"{namespace}{entry.name}", named_child.pop()))
    return sorted(found)


CHILD_URLS = child_url_names()


def test_the_walk_finds_the_child_pages():
    assert ("child_audit", "child") in CHILD_URLS


def all_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_routes(entry, route)
        else:
            yield route


def test_every_url_under_children_names_the_child_so_it_is_guarded_and_audited():
    # A page at children/<pk>/ would slip past ChildAccessMiddleware and this walk.
    for route in all_routes():
        for name in re.findall(r"children/<(?:\w+:)?(\w+)>", route):
            assert name in CHILD_URL_KWARGS, f"{route}: name the child {CHILD_URL_KWARGS[0]!r}"


def expected_status(role: str, url: str, url_name: str, visible: bool) -> int:
    if not visible:
        return 404
    if role == Role.BUSINESS_SUPPORT and not getattr(resolve(url).func, "child_identity_only", 0):
        return 403
    if role not in ROLE_GATED.get(url_name, {role}):
        return 403
    return 200


@pytest.mark.parametrize(("url_name", "kwarg"), CHILD_URLS)
def test_every_child_page_answers_each_role_and_state_and_audits_each_view(
    client, world, url_name, kwarg
):
    client.force_login(world.viewer)
    role = world.viewer.role
    for state in STATES:
        child = world.children[state]
        before = AuditEvent.objects.filter(child=child, user=world.viewer).count()
        url = reverse(url_name, kwargs={kwarg: child.pk})
        response = client.get(url)
        expected = expected_status(role, url, url_name, EXPECTED[role][state])
        assert response.status_code == expected, (url, role, state, response.status_code)
        written = AuditEvent.objects.filter(child=child, user=world.viewer).count() - before
        assert written == (1 if response.status_code == 200 else 0), (url_name, role, state)


def test_one_request_to_a_child_page_writes_exactly_one_audit_row(client):
    team = make_team()
    manager = make_user(Role.TEAM_MANAGER, team=team)
    child = make_child()
    allocate(child, manager)
    client.force_login(manager)
    response = client.get(f"/children/{child.pk}/audit/", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    event = AuditEvent.objects.get(child=child)
    assert (event.user, event.action, event.path) == (
        manager,
        AuditEvent.Action.VIEW,
        f"/children/{child.pk}/audit/",
    )
    assert event.remote_addr == "203.0.113.9"
    assert event.occurred_at.utcoffset().total_seconds() == 0


def test_the_same_child_is_audited_once_per_request_however_often_it_is_reported(db):
    user = make_user(Role.HEAD_OF_SERVICE)
    child = make_child()
    request = RequestFactory().get("/export/")
    request.user = user
    for _ in range(3):
        audit_child_access(request, child, AuditEvent.Action.EXPORT)
    audit_child_access(request, child, AuditEvent.Action.VIEW)
    assert AuditEvent.objects.filter(child=child).count() == 2


def test_a_forwarded_address_is_believed_only_from_the_configured_proxy_header(db, settings):
    from accounts.audit import client_address

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.1"
    )
    settings.CASEFLOW_TRUSTED_PROXY_HEADER = ""
    assert client_address(request) == "10.0.0.2"
    settings.CASEFLOW_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_address(request) == "192.0.2.1"  # the hop our proxy appended
    settings.CASEFLOW_TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "198.51.100.7"


def test_the_audit_page_lists_who_viewed_the_record_newest_first(client):
    team = make_team()
    manager = make_user(Role.TEAM_MANAGER, team=team)
    worker = make_user(Role.SOCIAL_WORKER, team=team, first_name="Sam", last_name="Worker")
    child = make_child()
    allocate(child, worker)
    request = RequestFactory().get(f"/children/{child.pk}/")
    request.user = worker
    audit_child_access(request, child)
    client.force_login(manager)
    page = client.get(f"/children/{child.pk}/audit/").content.decode()
    assert "Who has viewed this record" in page
    assert "Sam Worker" in page
    assert "govuk-table" in page


def test_the_audit_page_is_not_shown_to_a_social_worker(client):
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    child = make_child()
    allocate(child, worker)
    client.force_login(worker)
    assert client.get(f"/children/{child.pk}/audit/").status_code == 403
    assert not AuditEvent.objects.filter(child=child).exists()


def test_a_signed_out_visitor_is_sent_to_sign_in_and_nothing_is_audited(client, db):
    child = make_child()
    response = client.get(f"/children/{child.pk}/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not AuditEvent.objects.exists()

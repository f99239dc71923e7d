"""Every page and API endpoint that shows a child, walked for every role x record state.

Pages are collected from the resolver: those whose URL names the child (a ``child``
keyword argument) and those listed in ``accounts.child_pages``; API endpoints from the
router. A page or endpoint added later is walked (and must be guarded and audited)
without touching this file. A record one may not see answers 404, never 403: its
existence is not disclosed. Every successful request writes exactly one audit row per
child shown, counted in the table.
"""

import re

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from accounts.audit import audit_child_access
from accounts.child_pages import CHILD_PAGES
from accounts.models import AuditEvent, Role
from accounts.permissions import CHILD_URL_KWARGS, visible_children
from api.urls import router
from api.views.base import ChildRecordViewSet
from casework.models import Child
from casework.services.permissions import PERMISSIONS
from casework.views.assessments import STEPS
from casework.views.protection import CONFERENCE_STEPS, PLAN_STEPS, S47_STEPS
from earlyhelp.views import STEPS as EARLY_HELP_STEPS
from tests.accounts.builders import allocate, make_child, make_team, make_user, on_contact
from tests.accounts.conftest import EXPECTED, STATES, build_world
from workforce.permissions import AUDITING_ROLES, SUPERVISING_ROLES

pytestmark = pytest.mark.django_db

# Pages beyond the visibility rule that also need a role; others answer 403.
ROLE_GATED = {
    "child_audit": {Role.TEAM_MANAGER, Role.ADMINISTRATOR},
    "workforce:case_supervision_new": set(SUPERVISING_ROLES),
    "workforce:audit_new": set(AUDITING_ROLES),
}
# Administrators lift any restriction, on the access list or not: the role is the rule.
ADMINISTRATORS_ONLY = {"restriction_lift"}
# Values for a page's other URL arguments: every one is walked.
OTHER_KWARGS = {
    name: [{"step": step} for step in steps]
    for name, steps in (
        ("assessment_step", STEPS),
        ("s47_step", S47_STEPS),
        ("conference_step", CONFERENCE_STEPS),
        ("plan_step", PLAN_STEPS),
        ("earlyhelp:step", EARLY_HELP_STEPS),
    )
}
# Walked elsewhere: the admin audits its own pages (VisibleChildrenAdminMixin), the API
# below, and metrics/ (KPI drill-downs, returns) its own.
WALKED_ELSEWHERE = ("admin:", "api:")
METRICS = "metrics."
# Pages about staff (posts, contracts, workers' own supervision) and prospective adopters
# (their own gate; every read audited, tests/ui/test_views_care_adopters.py) name no child.
STAFF_PAGES = (
    "workforce.views.establishment", "workforce.views.supervision", "care.views_adopters",
)  # fmt: skip


def child_url_names(resolver=None, namespace=""):
    """(name, kwarg) for every named URL pattern whose only arguments name a child."""
    found = []
    for name, kwargs, _ in url_patterns(resolver, namespace):
        named_child = kwargs & set(CHILD_URL_KWARGS)
        if named_child and kwargs == named_child:
            found.append((name, named_child.pop()))
    return sorted(found)


def url_patterns(resolver=None, namespace=""):
    """(name, URL keyword arguments, view module) of every named pattern."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = set(entry.pattern.regex.groupindex)
            yield f"{namespace}{entry.name}", kwargs, entry.callback.__module__


CHILD_URLS = child_url_names()


def test_the_walk_finds_the_child_pages():
    names = {name for name, _ in CHILD_URLS} | set(CHILD_PAGES)
    assert {"child", "child_audit", "assessment_step", "contact_screen"} <= names
    assert {"assessment_start", "referral_close", "restriction_lift"} <= names


def test_every_page_with_an_id_in_its_url_is_guarded_and_audited():
    # An id in the URL means a record: either the URL names the child, or
    # accounts.child_pages says how to find it. Add the page's line there.
    for name, kwargs, module in url_patterns():
        if not kwargs or name.startswith(WALKED_ELSEWHERE) or module.startswith(METRICS):
            continue
        if module.startswith(STAFF_PAGES) and not kwargs & set(CHILD_URL_KWARGS):
            continue
        assert kwargs & set(CHILD_URL_KWARGS) or name in CHILD_PAGES, name


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


def page_urls(child: Child):
    """(url name, url) of every page showing ``child``'s data, for the records it has."""
    for name, kwarg in CHILD_URLS:
        yield name, reverse(name, kwargs={kwarg: child.pk})
    for name, page in sorted(CHILD_PAGES.items()):
        rows = apps.get_model(page.model)._default_manager.filter(**{page.path: child})
        for row in rows.order_by("pk")[:1]:
            for other in OTHER_KWARGS.get(name, [{}]):
                yield name, reverse(name, kwargs={page.kwarg: row.pk, **other})


def expected_page_status(role: str, url: str, url_name: str, visible: bool) -> int:
    if url_name in ADMINISTRATORS_ONLY:
        return 200 if role == Role.ADMINISTRATOR else 403
    # A write form is refused by role before any lookup (so a 403 says nothing about the
    # record) to a role its service would refuse (casework.views.access.may).
    operation = getattr(resolve(url).func, "operation", None)
    if operation is not None and not can_role(role, operation):
        return 403
    page = CHILD_PAGES.get(url_name)
    identity_only = (
        page.identity_only if page else getattr(resolve(url).func, "child_identity_only", 0)
    )
    case_detail_refused = role == Role.BUSINESS_SUPPORT and not identity_only
    if page is not None and case_detail_refused:
        return 403  # refused before any lookup, so it says nothing about the record
    if not visible:
        return 404
    if case_detail_refused or role not in ROLE_GATED.get(url_name, {role}):
        return 403
    return 200


def can_role(role: str, operation: str) -> bool:
    return role in PERMISSIONS[operation][0]


def audit_rows(user) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(user=user).order_by("pk").values_list("pk", "child_id", "action")
    )


@pytest.fixture(params=list(EXPECTED), ids=str)
def role_world(request, db):
    # One authority per role, walked by one test: building it is most of the cost.
    return build_world(request.param)


def test_every_child_page_answers_each_role_and_state_and_audits_each_view(client, role_world):
    world = role_world
    client.force_login(world.viewer)
    role, wrong, walked = world.viewer.role, [], set()
    for state in STATES:
        child = world.children[state]
        for url_name, url in page_urls(child):
            walked.add(url_name)
            before = len(audit_rows(world.viewer))
            status = client.get(url).status_code
            expected = expected_page_status(role, url, url_name, EXPECTED[role][state])
            written = [(c, a) for _, c, a in audit_rows(world.viewer)[before:]]
            want = [(child.pk, AuditEvent.Action.VIEW)] if expected == 200 else []
            if (status, written) != (expected, want):
                wrong.append((state, url, status, expected, written))
    assert not wrong, (role, wrong)
    assert walked == {name for name, _ in CHILD_URLS} | set(CHILD_PAGES)


def api_resources():
    """(prefix, viewset) of every resource about children."""
    found = [(p, v) for p, v, _ in router.registry if issubclass(v, ChildRecordViewSet)]
    return sorted(found, key=lambda r: r[0])


API_RESOURCES = api_resources()


def test_the_api_walk_finds_every_child_resource():
    prefixes = {prefix for prefix, _ in API_RESOURCES}
    assert {"children", "referrals", "assessments", "s47-enquiries", "conferences"} <= prefixes
    assert {"cp-plans", "cin-plans", "visits", "allocations", "contacts"} <= prefixes


def _path_to_child(model) -> str:
    if model is Child:
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    return "child" if "child" in names else "children__child"


def test_every_api_endpoint_answers_each_role_and_state_and_audits_each_read(role_world):
    world = role_world
    client = APIClient()
    client.force_authenticate(world.viewer)
    role, wrong = world.viewer.role, []
    refused_case_detail = role == Role.BUSINESS_SUPPORT
    for prefix, viewset in API_RESOURCES:
        model = viewset.selector(user=world.viewer).model
        path = _path_to_child(model)
        refused = refused_case_detail and viewset.case_detail
        before = len(audit_rows(world.viewer))
        listed = client.get(f"/api/v1/{prefix}/", {"page_size": 100})
        written = [(c, a) for _, c, a in audit_rows(world.viewer)[before:]]
        if refused:
            if (listed.status_code, written) != (403, []):
                wrong.append((prefix, "list", listed.status_code, written))
            listed_ids = set()
        else:
            listed_ids = {row["id"] for row in listed.json()["results"]}
            # One view row per child the list shows (issue 16, finding 5).
            shown = visible_children(world.viewer).filter(
                pk__in=model._default_manager.filter(pk__in=listed_ids).values(path)
            )
            want = sorted((pk, AuditEvent.Action.VIEW) for pk in shown.values_list("pk", flat=True))
            if (listed.status_code, sorted(written)) != (200, want):
                wrong.append((prefix, "list", listed.status_code, written))
        for state in STATES:
            child = world.children[state]
            row = model._default_manager.filter(**{path: child.pk}).order_by("pk").first()
            assert row is not None, (prefix, state)
            visible = EXPECTED[role][state]
            expected = 403 if refused else (200 if visible else 404)
            before = len(audit_rows(world.viewer))
            status = client.get(f"/api/v1/{prefix}/{row.pk}/").status_code
            written = [(c, a) for _, c, a in audit_rows(world.viewer)[before:]]
            want = [(child.pk, AuditEvent.Action.VIEW)] if expected == 200 else []
            in_list = row.pk in listed_ids
            if (status, written, in_list) != (expected, want, expected == 200):
                wrong.append((prefix, state, status, expected, written, in_list))
    assert not wrong, (role, wrong)


def test_kpi_values_follow_the_kpi_pages_rule_for_every_role(client):
    team = make_team()
    for role in Role.values:
        user = make_user(role, team=team)
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        page = client.get("/kpis/").status_code
        values = api.get("/api/v1/kpis/", {"period": "2026-11"}).status_code
        assert (page == 200) == (values == 200), (role, page, values)
        assert page in {200, 403} and values in {200, 403}, (role, page, values)
        allowed = role in {
            Role.TEAM_MANAGER,
            Role.HEAD_OF_SERVICE,
            Role.AUDITOR,
            Role.ADMINISTRATOR,
        }
        assert (values == 200) == allowed, role


def test_a_contact_about_siblings_writes_one_audit_row_for_each(client):
    team = make_team()
    manager = make_user(Role.TEAM_MANAGER, team=team)
    older, younger = make_child(), make_child()
    for child in (older, younger):
        allocate(child, manager)
    contact = on_contact(older).contact
    contact.children.create(child=younger)
    client.force_login(manager)
    assert client.get(f"/contacts/{contact.pk}/screen/").status_code == 200
    rows = AuditEvent.objects.filter(user=manager).values_list("child_id", "action")
    assert sorted(rows) == sorted([(older.pk, "view"), (younger.pk, "view")])
    api = APIClient()
    api.force_authenticate(manager)
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 200
    assert (
        AuditEvent.objects.filter(user=manager, path=f"/api/v1/contacts/{contact.pk}/").count() == 2
    )


def test_searching_for_a_child_writes_a_search_row_and_one_per_child_shown(client):
    user = make_user(Role.HEAD_OF_SERVICE)
    make_child(last_name="Findme")
    client.force_login(user)
    assert client.get("/children/").status_code == 200
    assert not AuditEvent.objects.filter(user=user).exists()  # no search yet, nothing shown
    assert client.get("/children/", {"q": "Findme"}).status_code == 200
    found = Child.objects.get(last_name="Findme")
    events = AuditEvent.objects.filter(user=user).values_list("action", "child_id", "path")
    # The search itself, and each child its results show (issue 16, finding 5).
    assert sorted(events, key=str) == sorted(
        [("search", None, "/children/?q=Findme"), ("search", found.pk, "/children/?q=Findme")],
        key=str,
    )


def test_an_accepted_form_writes_a_change_row_and_a_rejected_one_a_view(client):
    team = make_team()
    manager = make_user(Role.TEAM_MANAGER, team=team)
    child = make_child()
    referral = allocate(child, manager).referral
    client.force_login(manager)
    url = f"/referrals/{referral.pk}/close/"
    form = client.get(url).context["form"]
    data = {"form_token": form.initial["form_token"], "version": referral.version}
    assert client.post(url, data).status_code == 200  # errors shown, nothing saved
    data.update(
        {"closed_on_0": "10", "closed_on_1": "1", "closed_on_2": "2026", "closure_reason": "RC8"}
    )
    assert client.post(url, data).status_code == 302
    actions = list(
        AuditEvent.objects.filter(user=manager, child=child)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["view", "view", "change"]


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

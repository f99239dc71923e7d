"""Issue 16: a crawl of every page each role can reach answers without a 5xx.

For each role (social worker, team manager, head of service, business support, auditor,
administrator) on a tiny generated authority: sign in, start at the home page and follow
every same-origin link breadth-first; on every page also try each table column's
``?sort=`` (ascending and descending, sortable or not) and each option of every GET
form's filters. URLs are normalised (numbers collapse to one pattern, at most
``PER_PATTERN`` of each are fetched) so the crawl stays about a minute. The test fails
listing each URL that answered 5xx, with the exception's last line.
"""

from __future__ import annotations

import os
import re
from collections import Counter, deque
from datetime import date
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django_tables2 import Table

from accounts.models import Role, User
from casework.demo import ensure_demo_users
from tests.support.authority import tiny_authority

# django_db: pytest-django creates the test database only for tests that ask for it; each
# test's own transaction nests inside the module's, which is rolled back at the end.
pytestmark = [
    pytest.mark.usefixtures("requires_postgres"),
    pytest.mark.django_db,
    pytest.mark.crawl,
]

END = date(2025, 6, 30)
PER_PATTERN = 2
VARIANTS_PER_ROUTE = 40
MAX_REQUESTS_PER_ROLE = 700
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/logout/")
NUMERIC = re.compile(r"^[\d.\-:+ T]+$")


class _Links(HTMLParser):
    """Every <a href> and every GET form's variants (one per filter option)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea"):
            name = a.get("name")
            if not name:
                return
            kind = (a.get("type") or "text").lower()
            options = self._form["fields"].setdefault(name, [])
            if tag == "select":
                self._select = name
            elif kind in ("radio", "checkbox", "hidden"):
                options.append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                options.extend([a.get("value") or "", "a"])
        elif tag == "option" and self._form is not None and self._select:
            self._form["fields"][self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _form_urls(page: str, form: dict) -> list[str]:
    """The form as sent with defaults, then once per option of each field."""
    action = urljoin(page, form["action"] or page)
    fields = {name: values for name, values in form["fields"].items() if values}
    defaults = {name: values[0] for name, values in fields.items()}
    urls = [f"{action.split('?')[0]}?{urlencode(defaults)}"]
    for name, values in fields.items():
        for value in values[1:]:
            urls.append(f"{action.split('?')[0]}?{urlencode({**defaults, name: value})}")
    return urls


def _sort_urls(page: str, context) -> list[str]:
    """?sort= on every column of every table the page rendered, both directions."""
    if context is None:
        return []
    contexts = context if isinstance(context, list) else [context]
    tables = {id(v): v for c in contexts for v in c.flatten().values() if isinstance(v, Table)}
    urls = []
    for table in tables.values():
        field = table.prefixed_order_by_field
        for column in table.columns.iterall():
            for direction in ("", "-"):
                query = urlencode({field: f"{direction}{column.name}"})
                urls.append(f"{urlsplit(page).path}?{query}")
    return urls


def _pattern(url: str) -> tuple:
    """Numbers collapse; a query variant (a sort, a filter option) is tried once per route,
    not once per record or KPI."""
    split = urlsplit(url)
    query = tuple(
        sorted((k, "#" if NUMERIC.match(v) else v) for k, v in parse_qsl(split.query, True))
    )
    if not query:
        return re.sub(r"\d+", "#", split.path), ()
    try:
        return resolve(split.path).route, query
    except Resolver404:
        return split.path, query


def _route(url: str) -> str:
    return _pattern(url.split("?")[0] + "?_=x")[0]


def _combination(url: str) -> bool:
    """More than two parameters set at once: their parts are each tried alone."""
    values = [v for _, v in parse_qsl(urlsplit(url).query) if v and not NUMERIC.match(v)]
    return len(values) > 2


def _same_origin(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    url = urljoin(base, href)
    split = urlsplit(url)
    if split.scheme not in ("", "http") or split.netloc not in ("", "testserver"):
        return None
    if split.path.startswith(SKIP_PREFIXES):
        return None
    return split.path + (f"?{split.query}" if split.query else "")


def crawl(client: Client) -> tuple[list[str], int]:
    """(each 5xx URL with its exception, requests made)."""
    seen: Counter = Counter()
    variants: Counter = Counter()
    fetched: set[str] = set()
    queue = deque(["/"])
    failures: list[str] = []
    requests = 0
    while queue and requests < MAX_REQUESTS_PER_ROLE:
        url = queue.popleft()
        if url in fetched or seen[_pattern(url)] >= PER_PATTERN:
            continue
        if "?" in url and (_combination(url) or variants[_route(url)] >= VARIANTS_PER_ROUTE):
            continue
        fetched.add(url)
        seen[_pattern(url)] += 1
        if "?" in url:
            variants[_route(url)] += 1
        requests += 1
        response = client.get(url, follow=False)
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            reason = repr(exc[1])[:200] if exc else ""
            failures.append(f"{response.status_code} {url} {reason}")
            continue
        if response.status_code in (301, 302) and response.get("Location"):
            target = _same_origin(url, response["Location"])
            if target:
                queue.append(target)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode(errors="replace"))
        found = [_same_origin(url, href) for href in parser.links]
        for form in parser.forms:
            found += _form_urls(url, form)
        found += _sort_urls(url, response.context)
        queue.extend(u for u in found if u and u not in fetched)
    if os.environ.get("CRAWL_DEBUG"):  # what the bounds let through, by path
        by_path = Counter(re.sub(r"\d+", "#", urlsplit(u).path) for u in fetched)
        print(requests, len(queue), by_path.most_common(25))
    return failures, requests


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """A tiny generated authority with a login for every role, rolled back afterwards."""
    with tiny_authority(django_db_blocker, END):
        call_command("compute_kpis", stdout=StringIO())
        users = ensure_demo_users(password="crawl-not-used-1")
        for username, role in (("bs", Role.BUSINESS_SUPPORT), ("aud", Role.AUDITOR)):
            users[username] = User.objects.create_user(
                username=username, password="crawl-not-used-1", role=role
            )
        yield users


@pytest.mark.parametrize("username", ["sw", "tm", "hos", "bs", "aud", "admin"])
def test_every_page_a_role_can_reach_answers_without_a_5xx(authority, username):
    client = Client(raise_request_exception=False)
    client.force_login(authority[username])
    with time_machine.travel(END, tick=False):
        failures, requests = crawl(client)
    assert requests > 10, f"{username} reached only {requests} pages"
    assert not failures, f"{len(failures)} of {requests} URLs answered 5xx:\n" + "\n".join(failures)

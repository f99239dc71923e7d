"""Issue 16, finding 11, on pages: sorting on any column and a mistyped year are never a
500; concurrent writes on the SQLite demo wait for each other instead of failing."""

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from accounts.models import Role, User
from tests.ui import builders

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url",
    [
        "/front-door/?sort={}time_left",
        "/front-door/?sort={}decide",
        "/front-door/?sort={}children",
        "/front-door/?sort={}status",
        "/front-door/?sort={}received_at",
        "/unallocated/?sort={}waiting",
        "/unallocated/?sort={}allocate",
        "/unallocated/?sort={}child",
    ],
)
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_sort_on_the_manager_queues_answers(url, direction, alice, mary, login):
    kids = builders.children(3)
    builders.contacts([[kids[0]], [kids[1], kids[2]]], received_on=date(2025, 6, 13))
    builders.episodes(kids, referred_on=date(2025, 6, 2))
    response = login(mary).get(url.format(direction))
    assert response.status_code == 200


def test_time_left_and_waiting_sort_by_their_dates(mary, login):
    early, late = builders.children(2)
    builders.episodes([early], referred_on=date(2025, 5, 1))
    builders.episodes([late], referred_on=date(2025, 6, 10))
    body = login(mary).get("/unallocated/?sort=-waiting").content.decode()
    assert body.index(early.full_name) < body.index(late.full_name)
    body = login(mary).get("/unallocated/?sort=waiting").content.decode()
    assert body.index(late.full_name) < body.index(early.full_name)


def test_action_columns_offer_no_sort_link(mary, login):
    builders.episodes(builders.children(1), referred_on=date(2025, 6, 2))
    body = login(mary).get("/unallocated/").content.decode()
    assert "sort=allocate" not in body
    assert "sort=waiting" in body


def test_a_mistyped_census_year_is_a_message_not_a_500(client, team):
    admin = User.objects.create_user(
        username="adm", password="x-not-used-1", role=Role.ADMINISTRATOR
    )
    client.force_login(admin)
    response = client.post("/returns/", {"year": "abc"})
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()
    assert client.get("/returns/cin-census/99999/checks").status_code == 404


SQLITE_WRITERS = textwrap.dedent(
    """
    import threading, django
    django.setup()
    from django.db import connection, transaction
    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS t (n integer)")
    connection.close()
    failures = []
    def work():
        try:
            for _ in range(15):
                # A request's shape: read first, then write, in one transaction.
                with transaction.atomic(), connection.cursor() as c:
                    c.execute("SELECT count(*) FROM t")
                    c.fetchone()
                    c.execute("INSERT INTO t VALUES (1)")
        except Exception as exc:
            failures.append(repr(exc))
        finally:
            connection.close()
    threads = [threading.Thread(target=work) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM t")
        print(c.fetchone()[0], failures[:1])
    """
)


def test_concurrent_writes_on_the_sqlite_demo_wait_instead_of_failing(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("CELERY_BROKER_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", SQLITE_WRITERS],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[0] == "90", out.stdout

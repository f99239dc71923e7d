"""No page reads a whole authority-sized table: its cost follows the user's caseload or
team, never the authority's size (issue 25).

Each page is requested as the demo user who works on it, on a tiny generated authority
(tables ANALYZEd), and every SELECT it ran is EXPLAINed with the parameters it ran with.

Why ``enable_seqscan = off`` here: on a tiny authority every table is a few pages, so the
planner rightly prefers a sequential scan whatever the query, and a plan check with the
planner's defaults would flag every page (or, with faked sizes, depend on cost constants).
PostgreSQL cannot be given a large table's statistics without its pages (it scales
``reltuples`` by the table's real size). With sequential scans priced out, the planner
picks an index wherever the query lets one drive the plan, so a Seq Scan left in the plan
means the query has no indexed way in: the query shape that read all 1.06 million
children of the large authority for each of My work's step queries
(``(NOT is_restricted AND child IN (...)) OR child IN (access list)``) leaves one here too.
The bench runs the same check on the large authority with the planner's defaults and real
statistics (bench/plans.py, ``page_plans`` in the JSON).
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client

from bench.plans import PAGES, page_queries, whole_table_scans
from casework.demo import ensure_demo_users
from tests.support.authority import tiny_authority

pytestmark = [pytest.mark.usefixtures("requires_postgres"), pytest.mark.django_db]

END = date(2025, 6, 30)


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """A tiny generated authority, analysed, with the demo users; rolled back afterwards."""
    with tiny_authority(django_db_blocker, END):
        users = ensure_demo_users(password="plans-not-used-1")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # sees this transaction's rows
        yield users


@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_plan_scans_a_whole_authority_sized_table(authority, page):
    username, path = PAGES[page]
    client = Client()
    client.force_login(authority[username])
    with time_machine.travel(END, tick=False):
        queries = page_queries(client, path)
    assert queries.status == 200
    assert queries.selects, f"{path} ran no SELECT: nothing was checked"
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        scans = whole_table_scans(queries)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
    assert not scans, "\n\n".join(f"{s['reads']}: {s['sql']}" for s in scans)

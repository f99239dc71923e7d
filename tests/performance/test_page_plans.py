"""No page reads a whole authority-sized table: its cost follows the user's caseload or
team, never the authority's size (issue 25).

Each page is requested as the demo user who works on it, on a tiny generated authority
(tables ANALYZEd), and every SELECT it ran is EXPLAINed with the parameters it ran with.

Why the per-row costs are raised: on a tiny authority every table is a few pages, so
with the planner's defaults a sequential scan is the cheapest plan whatever the query,
and a check would flag every page or none. PostgreSQL cannot be given a large table's
statistics without its pages (it scales ``reltuples`` by the table's real size). What
makes a large authority's plans different is that the rows a plan touches dominate its
cost, so the test plans with ``cpu_tuple_cost`` and ``cpu_index_tuple_cost`` at 1 (100
times the defaults, page costs unchanged): reading 2,000 children then costs what reading
them costs at scale, and the planner reads them whole only when the query leaves it no
indexed way in. Pricing sequential scans out (``enable_seqscan = off``) was tried first:
on tables this small the planner then walks whole indexes and prefers merge joins to
index probes, so it flagged queries whose plans are index-driven on a real authority.
With the raised row costs, the code before issue 25 fails here on My work (its step
queries read every child, as the issue measured on the large authority), the
authorisation queue, the front door, the care queue and early help; the bench runs the
same check on the generated authority with the planner's defaults and real statistics
(bench/plans.py, ``page_plans`` in the JSON).
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


@pytest.mark.parametrize("page", PAGES)
def test_no_page_plan_scans_a_whole_authority_sized_table(authority, page):
    username, path = PAGES[page]
    client = Client()
    client.force_login(authority[username])
    with time_machine.travel(END, tick=False):
        queries = page_queries(client, path)
    assert queries.status == 200
    assert queries.selects, f"{path} ran no SELECT: nothing was checked"
    with connection.cursor() as cursor:
        cursor.execute("SET cpu_tuple_cost = 1")
        cursor.execute("SET cpu_index_tuple_cost = 1")
    try:
        scans = whole_table_scans(queries)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cpu_tuple_cost")
            cursor.execute("RESET cpu_index_tuple_cost")
    assert not scans, "\n\n".join(f"{s['reads']}: {s['sql']}" for s in scans)

"""The SQL a page runs, and whether any of its plans reads a whole authority-sized table.

Used by ``make bench`` (on the generated authority, real statistics) and by
tests/performance/test_page_plans.py (on a tiny authority with per-row costs raised: that
test's docstring says why). A page is requested through the Django test
client; every SELECT it ran is EXPLAINed afterwards in the same connection, with the
parameters it ran with.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Tables whose size follows the authority's (a large authority: 1.6M children, 2.9M
# visits, 1M contacts, 620k referrals, 580k assessments, 130k s47s): a page may read rows
# of them through an index, never all of them.
AUTHORITY_TABLES = (
    "casework_child",
    "casework_allocation",
    "casework_assessment",
    "casework_visit",
    "casework_section47enquiry",
    "referrals_referral",
    "referrals_contact",
    "referrals_contactchild",
)

# The pages measured, each as the demo user who works on it: name -> (username, path).
# ``page_ms_<name>`` in the bench JSON.
PAGES = {
    "my_work": ("sw", "/my-work/"),
    "caseload_board": ("tm", "/caseloads/"),
    "kpi_dashboard": ("hos", "/kpis/"),
    "authorisation_queue": ("tm", "/queues/authorisation/"),
    "front_door": ("tm", "/front-door/"),
    "care_due": ("tm", "/care/due/"),
    "workforce": ("hos", "/workforce/"),
    "early_help": ("tm", "/early-help/"),
}


@dataclass
class PageQueries:
    path: str
    status: int
    queries: list[dict] = field(default_factory=list)  # {"sql", "time"}

    @property
    def selects(self) -> list[dict]:
        return [q for q in self.queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]

    @property
    def slowest(self) -> dict | None:
        return max(self.selects, key=lambda q: float(q["time"]), default=None)


def page_queries(client: Client, path: str) -> PageQueries:
    """Request ``path`` once warm (the first request fills process-wide caches) and keep
    the SQL of the second."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return PageQueries(path, response.status_code, list(captured.captured_queries))


def explain(sql: str, *, analyze: bool = False) -> dict | str:
    """The plan as JSON (the tree), or with ``analyze`` as PostgreSQL's text (evidence)."""
    with connection.cursor() as cursor:
        if analyze:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def whole_reads(plan: dict, tables=AUTHORITY_TABLES, *, partial=frozenset(), limited=False):
    """The authority-sized tables a plan reads whole: a sequential scan, or an index scan
    with no index condition (a walk of the whole index: what the planner picks instead
    of a sequential scan when those are priced out). Not counted: a walk of a partial
    index (``partial``: it holds only the live few, e.g. current allocations) or one
    under a Limit (``ORDER BY ... LIMIT 1`` reads one end of the index)."""
    found = []
    node = plan.get("Node Type")
    limited = limited or node == "Limit"
    walk = node in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan
    whole = node == "Seq Scan" or (walk and not limited and plan.get("Index Name") not in partial)
    if whole and plan.get("Relation Name") in tables:
        found.append(f"{node} on {plan['Relation Name']}")
    for child in plan.get("Plans", ()):
        found.extend(whole_reads(child, tables, partial=partial, limited=limited))
    return found


def partial_indexes() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%% WHERE %%'")
        return frozenset(row[0] for row in cursor.fetchall())


def whole_table_scans(page: PageQueries, tables=AUTHORITY_TABLES) -> list[dict]:
    """Every SELECT of the page whose plan reads a whole authority-sized table."""
    out = []
    partial = partial_indexes()
    for query in page.selects:
        scanned = whole_reads(explain(query["sql"]), tables, partial=partial)
        if scanned:
            out.append({"reads": sorted(set(scanned)), "sql": query["sql"][:2000]})
    return out


def warm_median_ms(client: Client, path: str, *, requests: int = 6) -> float:
    """Median of the last ``requests - 1`` of ``requests`` requests (the first is warm-up)."""
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    measured = sorted(times[1:])
    middle = len(measured) // 2
    median = measured[middle] if len(measured) % 2 else sum(measured[middle - 1 : middle + 1]) / 2
    return round(median, 1)


def tables_analysed(tables=AUTHORITY_TABLES) -> dict[str, bool]:
    """Whether PostgreSQL has statistics for each table (ANALYZE, by hand or autovacuum)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, coalesce(last_analyze, last_autoanalyze) IS NOT NULL"
            " FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [list(tables)],
        )
        return dict(cursor.fetchall())


def measure_pages() -> dict:
    """``page_ms_<page>`` for every page in PAGES, and ``page_plans``: per page its query
    count, SQL time, slowest query with EXPLAIN ANALYZE, and the authority-sized tables
    any of its plans (planner defaults, real statistics) reads whole.
    ``pages_scanning_whole_tables`` lists the pages with such a plan (a miss)."""
    import secrets

    from accounts.models import User
    from casework.demo import ensure_demo_users

    analysed_before = tables_analysed()
    with connection.cursor() as cursor:
        for table in AUTHORITY_TABLES:
            cursor.execute(f"ANALYZE {table}")
    ensure_demo_users(password=secrets.token_urlsafe(16))
    out: dict = {"tables_analysed_before_pages": analysed_before, "tables_analysed": True}
    plans, scanning = {}, []
    for name, (username, path) in PAGES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        page = page_queries(client, path)
        if page.status != 200:
            raise RuntimeError(f"{path} answered {page.status} for {username}")
        out[f"page_ms_{name}"] = warm_median_ms(client, path)
        slowest = page.slowest
        scans = whole_table_scans(page)
        if scans:
            scanning.append(name)
        plans[name] = {
            "path": path,
            "user": username,
            "queries": len(page.queries),
            "sql_ms": round(sum(float(q["time"]) for q in page.queries) * 1000, 1),
            "slowest_query_ms": round(float(slowest["time"]) * 1000, 1) if slowest else None,
            "slowest_query_sql": slowest["sql"][:4000] if slowest else None,
            "slowest_query_explain_analyze": explain(slowest["sql"], analyze=True)
            if slowest
            else None,
            "whole_table_scans": scans,
        }
    out["page_plans"] = plans
    out["pages_scanning_whole_tables"] = scanning
    return out

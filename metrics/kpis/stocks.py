"""Stock KPIs: what is true at a date (children on a plan, caseloads), for many dates at once.

Each function runs one SQL statement that joins the calendar table (one row per date) to
the case table on "open at that date", for every requested date together, grouped by
date and scope. Raw SQL because the ORM cannot join unrelated tables on a range; the only
dialect difference (calendar-month arithmetic) comes from ``add_months_sql``.

"Open at date E": started on or before E and not ended on or before E (a plan ending on
31 March is not open at 31 March). The allocation current at E is the latest one of the
episode started on or before E and not ended on or before E.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from casework.models import (
    Allocation,
    Authority,
    ChildProtectionPlan,
    Visit,
    VisitKind,
    Worker,
    WorkerRole,
    WorkingDay,
)
from metrics.kpis.sql import add_months_sql
from referrals.models import Referral

CASE_HOLDING = (WorkerRole.SOCIAL_WORKER.value, WorkerRole.SENIOR_PRACTITIONER.value)
DEFAULT_VISIT_STANDARD = 10

T_DAY = WorkingDay._meta.db_table
T_PLAN = ChildProtectionPlan._meta.db_table
T_REF = Referral._meta.db_table
T_ALLOC = Allocation._meta.db_table
T_VISIT = Visit._meta.db_table
T_WORKER = Worker._meta.db_table


def _current_allocation(episode_col: str) -> str:
    return f"""(SELECT a2.id FROM {T_ALLOC} a2
        WHERE a2.referral_id = {episode_col} AND a2.entered_in_error = %s
          AND a2.started_on <= d.date AND (a2.ended_on IS NULL OR a2.ended_on > d.date)
        ORDER BY a2.started_on DESC, a2.id DESC LIMIT 1)"""


def _run(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for at, team, worker, num, den in rows:
        at = date.fromisoformat(at) if isinstance(at, str) else at
        out.append({"at": at, "scope_team": team, "scope_worker": worker, "num": num, "den": den})
    return out


def _dates_sql(dates: list[date]) -> tuple[str, list]:
    return ", ".join(["%s"] * len(dates)), list(dates)


def open_range_sql(alias: str, start_col: str, end_col: str) -> str:
    """PostgreSQL: the dates a record is open, as a ``[start, end)`` daterange.

    The same expression (without the alias) is GiST-indexed on the referral and CP plan
    tables (metrics migration 0003), so "open at E" is an index lookup per date instead
    of a scan of every record started before E. An end before the start (not prevented
    by a constraint) gives the empty range: never open, as in the portable form.
    """
    start, end = f"{alias}{start_col}", f"{alias}{end_col}"
    return f"daterange({start}, CASE WHEN {end} < {start} THEN {start} ELSE {end} END)"


def _open_at(table: str, alias: str, start_col: str, end_col: str) -> str:
    if connection.vendor == "postgresql":
        return (
            f"JOIN {table} {alias} ON {open_range_sql(alias + '.', start_col, end_col)} @> d.date"
        )
    return (
        f"JOIN {table} {alias} ON {alias}.{start_col} <= d.date "
        f"AND ({alias}.{end_col} IS NULL OR {alias}.{end_col} > d.date)"
    )


def _plans_at(dates: list[date], numerator_sql: str, scoped: bool, extra: list) -> list[dict]:
    """Children on a CP plan at each date: COUNT(DISTINCT child) with a numerator test."""
    marks, params = _dates_sql(dates)
    scope = "al.team_id, al.worker_id" if scoped else "NULL, NULL"
    group = "d.date, al.team_id, al.worker_id" if scoped else "d.date"
    join = (
        f"LEFT JOIN {T_ALLOC} al ON al.id = {_current_allocation('p.referral_id')}"
        if scoped
        else ""
    )
    sql = f"""SELECT d.date, {scope},
            COUNT(DISTINCT CASE WHEN {numerator_sql} THEN p.child_id END),
            COUNT(DISTINCT p.child_id)
        FROM {T_DAY} d
        {_open_at(T_PLAN, "p", "started_on", "ended_on")}
        JOIN {T_REF} r ON r.id = p.referral_id AND r.entered_in_error = %s
        {join}
        WHERE d.date IN ({marks}) AND p.entered_in_error = %s
        GROUP BY {group}"""
    head = extra + [False] + ([False] if scoped else [])
    return _run(sql, head + params + [False])


def cp_open_2y_plus(dates, *, scoped=False):
    two_years = add_months_sql("p.started_on", 24, connection.vendor)
    return _plans_at(dates, f"{two_years} <= d.date", scoped, [])


def rate_cp_per_10k(dates, *, scoped=False):
    return _plans_at(dates, "1 = 1", False, [])


def cp_visits_in_time(dates, *, scoped=False):
    # In time at E when the working days since the child was last seen on a CP visit
    # (or since the plan started, if not yet visited) are within the authority's
    # standard (domain.md section 3; seed 000: at least every two weeks).
    authority = Authority.objects.order_by("pk").first()
    standard = authority.cp_visit_standard_working_days if authority else DEFAULT_VISIT_STANDARD
    last_seen = f"""COALESCE((SELECT MAX(v.visited_on) FROM {T_VISIT} v
        WHERE v.child_id = p.child_id AND v.kind = %s AND v.child_seen = %s
          AND v.entered_in_error = %s AND v.visited_on >= p.started_on
          AND v.visited_on <= d.date), p.started_on)"""
    numerator = f"""d.ordinal - (SELECT w.ordinal FROM {T_DAY} w WHERE w.date = {last_seen})
        <= {int(standard)}"""
    return _plans_at(dates, numerator, scoped, [VisitKind.CP.value, True, False])


def rate_cin_per_10k(dates, *, scoped=False):
    # Children in need at E: children with a CIN episode (referral) open at E.
    marks, params = _dates_sql(dates)
    sql = f"""SELECT d.date, NULL, NULL, COUNT(DISTINCT r.child_id), COUNT(DISTINCT r.child_id)
        FROM {T_DAY} d {_open_at(T_REF, "r", "referred_on", "closed_on")}
        WHERE d.date IN ({marks}) AND r.entered_in_error = %s
        GROUP BY d.date"""
    return _run(sql, params + [False])


def unallocated_cases(dates, *, scoped=False):
    # Open episodes at E with no allocation current at E (seed 002).
    marks, params = _dates_sql(dates)
    sql = f"""SELECT d.date, NULL, NULL,
            SUM(CASE WHEN {_current_allocation("r.id")} IS NULL THEN 1 ELSE 0 END),
            COUNT(*)
        FROM {T_DAY} d {_open_at(T_REF, "r", "referred_on", "closed_on")}
        WHERE d.date IN ({marks}) AND r.entered_in_error = %s
        GROUP BY d.date"""
    return _run(sql, [False] + params + [False])


def children_held_at(dates: list[date]) -> list[dict]:
    """Children in open episodes allocated at E to case-holding workers, per worker.

    Grouped by the worker's team (caseloads belong to the worker's current team).
    """
    marks, params = _dates_sql(dates)
    roles = ", ".join(["%s"] * len(CASE_HOLDING))
    sql = f"""SELECT d.date, w.team_id, w.id, COUNT(DISTINCT r.child_id), 0
        FROM {T_DAY} d {_open_at(T_REF, "r", "referred_on", "closed_on")}
        JOIN {T_ALLOC} al ON al.id = {_current_allocation("r.id")}
        JOIN {T_WORKER} w ON w.id = al.worker_id AND w.role IN ({roles})
        WHERE d.date IN ({marks}) AND r.entered_in_error = %s
        GROUP BY d.date, w.team_id, w.id"""
    return _run(sql, [False, *CASE_HOLDING] + params + [False])


def case_holders_at(dates: list[date]) -> list[dict]:
    """Case-holding workers in post at E: one row per worker with their FTE as ``den``."""
    marks, params = _dates_sql(dates)
    roles = ", ".join(["%s"] * len(CASE_HOLDING))
    sql = f"""SELECT d.date, w.team_id, w.id, 1, w.fte
        FROM {T_DAY} d JOIN {T_WORKER} w ON w.started_on <= d.date
          AND (w.left_on IS NULL OR w.left_on >= d.date) AND w.role IN ({roles})
        WHERE d.date IN ({marks})"""
    return _run(sql, [*CASE_HOLDING] + params)

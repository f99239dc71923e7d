"""Stock KPIs: what is true at a date (children on a plan, caseloads), for many dates at once.

Each function runs one SQL statement that joins the calendar table (one row per date) to
the case table on "open at that date", for every requested date together, grouped by
date and scope. Raw SQL because the ORM cannot join unrelated tables on a range; the only
dialect difference (calendar-month arithmetic) comes from ``add_months_sql``.

Each KPI's rows are described once, as a ``Stock``; the aggregate (for snapshots) and
the member list (for drill-downs) are both generated from it, so a drill-down lists
exactly the rows the figure counted.

"Open at date E": started on or before E and not ended on or before E (a plan ending on
31 March is not open at 31 March). The allocation current at E is the latest one of the
episode started on or before E and not ended on or before E.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from casework.models import (
    Allocation,
    ChildProtectionPlan,
    Worker,
    WorkingDay,
)
from casework.predicates import allocation_open_on_sql, case_holding_sql
from metrics.kpis.sql import add_months_sql
from referrals.models import Referral

# Who holds cases (casework.predicates: the caseload's one definition), as SQL.
CASE_HOLDING_SQL, CASE_HOLDING_PARAMS = case_holding_sql("w")
CASE_HOLDING = tuple(CASE_HOLDING_PARAMS)  # the role values, for ORM filters beside the SQL

T_DAY = WorkingDay._meta.db_table
T_PLAN = ChildProtectionPlan._meta.db_table
T_REF = Referral._meta.db_table
T_ALLOC = Allocation._meta.db_table
T_WORKER = Worker._meta.db_table


def _current_allocation(episode_col: str, columns: str = "a2.id") -> str:
    return f"""(SELECT {columns} FROM {T_ALLOC} a2
        WHERE a2.referral_id = {episode_col} AND a2.entered_in_error = %s
          AND {allocation_open_on_sql("a2", "d.date")}
        ORDER BY a2.started_on DESC, a2.id DESC LIMIT 1)"""


def _join_current_allocation(episode_col: str, *, left: bool = False) -> str:
    """Join ``al``, the episode's allocation current at ``d.date`` (one parameter: False).

    PostgreSQL: a LATERAL subquery, one index probe per open episode and date that
    returns the row itself. (Joined on ``al.id = (subquery)``, PostgreSQL hashed every
    allocation and ran the probe twice per row: 7.5 s of the caseload KPIs' 7.9 s at
    medium.) SQLite has no LATERAL: the same probe in the join condition.
    """
    kind = "LEFT JOIN" if left else "JOIN"
    if connection.vendor != "postgresql":
        return f"{kind} {T_ALLOC} al ON al.id = {_current_allocation(episode_col)}"
    columns = "a2.id, a2.team_id, a2.worker_id"
    return f"{kind} LATERAL {_current_allocation(episode_col, columns)} al ON TRUE"


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


def _in_post(alias: str) -> str:
    return (
        f"{alias}.started_on <= d.date AND ({alias}.left_on IS NULL OR {alias}.left_on >= d.date)"
    )


@dataclass(frozen=True)
class Stock:
    """The rows one stock KPI counts at a calendar date ``d.date``.

    ``joins``/``where`` pick the rows open at the date; ``counted`` is what is counted
    (distinct), ``numerator`` the test for the numerator; ``team``/``worker`` the scope
    columns (None when the KPI is not broken down). ``member`` is what a drill-down lists
    for one counted item (a child, an episode or an allocation) and ``per`` what makes an
    item distinct when that is not ``counted`` itself.
    """

    joins: str
    join_params: list
    where: str
    where_params: list
    counted: str
    numerator: str = "1 = 1"
    numerator_params: tuple = ()
    team: str | None = None
    worker: str | None = None
    member: str | None = None
    per: str | None = None

    def aggregate(self, dates: list[date]) -> list[dict]:
        """(date, team, worker, numerator, denominator) rows: one statement for all dates."""
        marks, params = _dates_sql(dates)
        scoped = self.team is not None
        scope = f"{self.team}, {self.worker}" if scoped else "NULL, NULL"
        group = f"d.date, {self.team}, {self.worker}" if scoped else "d.date"
        sql = f"""SELECT d.date, {scope},
                COUNT(DISTINCT CASE WHEN {self.numerator} THEN {self.counted} END),
                COUNT(DISTINCT {self.counted})
            FROM {T_DAY} d {self.joins}
            WHERE d.date IN ({marks}) AND {self.where}
            GROUP BY {group}"""
        return _run(sql, [*self.numerator_params, *self.join_params, *params, *self.where_params])

    def members(
        self, at: date, *, numerator: bool, scope_type: str = "authority", scope_id=None
    ) -> tuple[str, list]:
        """SQL and params listing the ``member`` ids behind the figure at ``at``."""
        sql = f"FROM {T_DAY} d {self.joins} WHERE d.date = %s AND {self.where}"
        params = [*self.join_params, at, *self.where_params]
        if numerator:
            sql += f" AND ({self.numerator})"
            params += list(self.numerator_params)
        column = {"team": self.team, "worker": self.worker}.get(scope_type)
        if scope_type != "authority":
            if column is None:
                return "SELECT NULL WHERE 1 = 0", []
            sql += f" AND {column} = %s"
            params.append(scope_id)
        if self.per:
            return f"SELECT MIN({self.member}) {sql} GROUP BY {self.per}", params
        return f"SELECT DISTINCT {self.member or self.counted} {sql}", params


def _plans(numerator: str = "1 = 1", numerator_params=(), *, scoped: bool) -> Stock:
    """Children on a CP plan at each date (distinct children), with a numerator test."""
    joins = (
        f"{_open_at(T_PLAN, 'p', 'started_on', 'ended_on')} "
        f"JOIN {T_REF} r ON r.id = p.referral_id AND r.entered_in_error = %s"
    )
    join_params = [False]
    if scoped:
        joins += f" {_join_current_allocation('p.referral_id', left=True)}"
        join_params.append(False)
    return Stock(
        joins, join_params, "p.entered_in_error = %s", [False], "p.child_id",
        numerator, tuple(numerator_params),
        team="al.team_id" if scoped else None, worker="al.worker_id" if scoped else None,
    )  # fmt: skip


def _cp_open_2y_plus(*, scoped=False) -> Stock:
    two_years = add_months_sql("p.started_on", 24, connection.vendor)
    return _plans(f"{two_years} <= d.date", scoped=scoped)


def _rate_cp_per_10k(*, scoped=False) -> Stock:
    return _plans(scoped=False)


def _open_episodes(counted: str, numerator: str = "1 = 1", numerator_params=()) -> Stock:
    return Stock(
        _open_at(T_REF, "r", "referred_on", "closed_on"), [], "r.entered_in_error = %s",
        [False], counted, numerator, tuple(numerator_params),
    )  # fmt: skip


def _rate_cin_per_10k(*, scoped=False) -> Stock:
    # DfE: children in need at E are children with a CIN episode (referral) open at E
    # and children looked after at E (a period of care open at E), each child once.
    from care.models import CarePeriod

    spells = f"""(SELECT child_id, referred_on AS started_on, closed_on AS ended_on,
            entered_in_error FROM {T_REF}
        UNION ALL SELECT child_id, started_on, ended_on, entered_in_error
            FROM {CarePeriod._meta.db_table})"""
    return Stock(
        _open_at(spells, "r", "started_on", "ended_on"), [], "r.entered_in_error = %s",
        [False], "r.child_id",
    )  # fmt: skip


def _unallocated_cases(*, scoped=False) -> Stock:
    # Open episodes at E with no allocation current at E (seed 002).
    return _open_episodes("r.id", f"{_current_allocation('r.id')} IS NULL", [False])


def _children_held(*, in_post: bool = False) -> Stock:
    """Children in open episodes allocated at E to case-holding workers, per worker: the
    caseload of ``casework.predicates.on_caseload`` on the date E.

    Grouped by the worker's team (caseloads belong to the worker's current team, wherever
    the allocation's team is). A drill-down lists one current allocation per (worker,
    child) counted.
    """
    post = f" AND {_in_post('w')}" if in_post else ""
    joins = (
        f"{_open_at(T_REF, 'r', 'referred_on', 'closed_on')} "
        f"{_join_current_allocation('r.id')} "
        f"JOIN {T_WORKER} w ON w.id = al.worker_id AND {CASE_HOLDING_SQL}{post}"
    )
    return Stock(
        joins, [False, *CASE_HOLDING_PARAMS], "r.entered_in_error = %s", [False], "r.child_id",
        team="w.team_id", worker="w.id", member="al.id", per="w.id, r.child_id",
    )  # fmt: skip


def _case_holders() -> Stock:
    """Case-holding workers in post at E (a drill-down lists workers)."""
    where = f"{_in_post('w')} AND {CASE_HOLDING_SQL}"
    return Stock(f"JOIN {T_WORKER} w ON 1 = 1", [], where, list(CASE_HOLDING_PARAMS), "w.id",
                 team="w.team_id", worker="w.id")  # fmt: skip


def cp_open_2y_plus(dates, *, scoped=False):
    return _cp_open_2y_plus(scoped=scoped).aggregate(dates)


def rate_cp_per_10k(dates, *, scoped=False):
    return _rate_cp_per_10k().aggregate(dates)


def rate_cin_per_10k(dates, *, scoped=False):
    return _rate_cin_per_10k().aggregate(dates)


def unallocated_cases(dates, *, scoped=False):
    return _unallocated_cases().aggregate(dates)


def children_held_at(dates: list[date]) -> list[dict]:
    """Children held per case-holding worker at each date (``num``; ``den`` unused)."""
    return _children_held().aggregate(dates)


def case_holders_at(dates: list[date]) -> list[dict]:
    """Case-holding workers in post at E: one row per worker with their FTE as ``den``."""
    marks, params = _dates_sql(dates)
    holders = _case_holders()
    sql = f"""SELECT d.date, w.team_id, w.id, 1, w.fte
        FROM {T_DAY} d {holders.joins}
        WHERE d.date IN ({marks}) AND {holders.where}"""
    return _run(sql, params + holders.where_params)


def stock_for(code: str, *, numerator: bool, scoped: bool) -> tuple | None:
    """(Stock, what a member id names, Stock whose holders must hold a case or None).

    The drill-down of each stock KPI, built from the same ``Stock`` as its figure;
    member ids name a "child", an "episode", an "allocation" or a "worker".
    """
    if code == "caseload_per_worker":
        if numerator:
            return _children_held(), "allocation", None
        return _case_holders(), "worker", None
    if code == "caseload_dfe":
        # DfE: only workers in post at the census date, and only those holding a case.
        if numerator:
            return _children_held(in_post=True), "allocation", None
        return _case_holders(), "worker", _children_held(in_post=True)
    builders = {
        "cp_open_2y_plus": (_cp_open_2y_plus, "child"),
        "rate_cp_per_10k": (_rate_cp_per_10k, "child"),
        "rate_cin_per_10k": (_rate_cin_per_10k, "child"),
        "unallocated_cases": (_unallocated_cases, "episode"),
    }
    from metrics.kpis import care

    if code in care.STOCKS:
        return care.STOCKS[code](), "child", None
    if code not in builders:
        return None
    build, member = builders[code]
    return build(scoped=scoped), member, None

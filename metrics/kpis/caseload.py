"""Caseload KPIs: children held per worker, by head count and by the DfE's FTE method.

Two aggregate queries (children held per worker at each date; case-holding workers in
post at each date), folded here into authority, team and worker figures. Caseloads
belong to the worker's team.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from metrics import periods as P
from metrics.kpis import stocks

AUTHORITY, TEAM, WORKER = "authority", "team", "worker"


def census_date(period: P.Period) -> date:
    """The latest 30 September on or before the period end (DfE workforce census date)."""
    year = period.end.year if period.end >= date(period.end.year, 9, 30) else period.end.year - 1
    return date(year, 9, 30)


def _by_date(dates: list[date]):
    held = defaultdict(dict)  # date -> {worker: (team, children)}
    for row in stocks.children_held_at(dates):
        held[row["at"]][row["scope_worker"]] = (row["scope_team"], row["num"])
    posts = defaultdict(dict)  # date -> {worker: (team, fte)}
    for row in stocks.case_holders_at(dates):
        posts[row["at"]][row["scope_worker"]] = (row["scope_team"], Decimal(str(row["den"])))
    return held, posts


def _scopes(worker: int, team: int):
    return [(AUTHORITY, None), (TEAM, team), (WORKER, worker)]


def _fold(held: dict, posts: dict, *, dfe: bool) -> dict:
    out: dict = defaultdict(lambda: [Decimal(0), Decimal(0)])
    out[(AUTHORITY, None)]
    for worker, (team, fte) in posts.items():
        children = held.get(worker, (team, 0))[1]
        if dfe and not children:
            continue  # DfE: FTE of social workers who hold cases
        for scope in _scopes(worker, team):
            out[scope][0] += children
            out[scope][1] += fte if dfe else 1
    if not dfe:
        # Children still allocated to someone no longer in post count against the team.
        for worker, (team, children) in held.items():
            if worker not in posts:
                for scope in _scopes(worker, team):
                    out[scope][0] += children
    return {scope: tuple(v) for scope, v in out.items()}


def caseload_per_worker(periods: list[P.Period]) -> dict:
    ends = sorted({p.end for p in periods})
    held, posts = _by_date(ends)
    return {p.name: _fold(held[p.end], posts[p.end], dfe=False) for p in periods}


def caseload_dfe(periods: list[P.Period]) -> dict:
    dates = sorted({census_date(p) for p in periods})
    held, posts = _by_date(dates)
    return {p.name: _fold(held[census_date(p)], posts[census_date(p)], dfe=True) for p in periods}

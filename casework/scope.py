"""The scope stored on events: the team and worker an event is attributed to, kept on
its row so the flow KPIs group by two columns instead of finding the allocation again.

The rule (who answers for an event): the latest allocation of the event's episode that
started on or before the event date; before any allocation, the episode's first one;
allocations entered in error never count (``metrics.kpis.sql.allocation_at`` is the
same rule as a per-row lookup, for the drill-downs and the tests that compare them).

A row's stored scope depends on its own date and on its episode's allocations, so it is
written by ``restamp_scope``, one set-based UPDATE per stamped date column, and nothing
else:

- every save of an event or an allocation (``post_save``, connected in
  ``CaseworkConfig.ready``): the services, the importer, the test builders'
  ``objects.create``; an allocation's save (started, ended, back-dated, entered in error)
  re-stamps its whole episode, in the same transaction, and announces the tables whose
  stamps moved (``record_dated``) so the incremental KPI job recomputes them;
- code that writes rows around ``save`` (the generator's COPY and ``.update()`` calls,
  data migrations, a bench step) calls ``restamp_scope`` itself once it is done.

``scope_drift`` counts rows whose stored scope differs from what the rule gives now
(the tests run it over a generated authority; ``0`` everywhere or something bypassed
this module).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection

FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"
ALLOCATION_TABLE = "casework_allocation"


@dataclass(frozen=True)
class Stamp:
    """One stored scope: the event table, its episode column, the date the KPIs attribute
    the event on, and the two columns holding the team and worker allocated then."""

    table: str
    episode: str
    on: str
    team: str = "scope_team_id"
    worker: str = "scope_worker_id"


def _stamps() -> tuple[Stamp, ...]:
    """The events the scoped flow KPIs count, by the date each is attributed on (a CP
    plan twice: the plans started and the plans ended)."""
    from casework.models import (
        Assessment,
        ChildProtectionConference,
        ChildProtectionPlan,
        Section47Enquiry,
        StrategyDiscussion,
        Visit,
    )
    from referrals.models import Referral

    def t(model):
        return model._meta.db_table

    return (
        Stamp(t(Referral), "id", "referred_on"),
        Stamp(t(Assessment), "referral_id", "authorised_on"),
        Stamp(t(Section47Enquiry), "referral_id", "ended_on"),
        Stamp(t(StrategyDiscussion), "referral_id", "held_on"),
        Stamp(t(ChildProtectionConference), "referral_id", "held_on"),
        Stamp(t(ChildProtectionPlan), "referral_id", "started_on"),
        Stamp(
            t(ChildProtectionPlan),
            "referral_id",
            "ended_on",
            "end_scope_team_id",
            "end_scope_worker_id",
        ),  # fmt: skip
        Stamp(t(Visit), "referral_id", "visited_on"),
    )


def stamps() -> tuple[Stamp, ...]:
    global _STAMPS
    if _STAMPS is None:
        _STAMPS = _stamps()
    return _STAMPS


_STAMPS: tuple[Stamp, ...] | None = None


def stored_scope(table: str, on: str) -> Stamp | None:
    """The stored scope of events of ``table`` attributed on ``on``, if there is one."""
    return next((s for s in stamps() if s.table == table and s.on == on), None)


def allocation_ranges_sql(episodes: int = 0) -> str:
    """Each current allocation with the dates the rule gives it, as ``[valid_from,
    valid_to)``: from its start (the episode's first: from the beginning of time) to the
    next allocation's start (the last: to the end of time). Two allocations starting the
    same day: the earlier (by id) gets an empty range. One pass over the allocation table
    (``episodes`` placeholders: only those episodes'), with one parameter, False, for
    ``entered_in_error``, then the episode ids."""
    only = f" AND referral_id IN ({', '.join(['%s'] * episodes)})" if episodes else ""
    return f"""SELECT referral_id, team_id, worker_id,
            CASE WHEN row_number() OVER w = 1 THEN '{FIRST_DAY}' ELSE started_on END AS valid_from,
            COALESCE(lead(started_on) OVER w, '{LAST_DAY}') AS valid_to
        FROM {ALLOCATION_TABLE} WHERE entered_in_error = %s{only}
        WINDOW w AS (PARTITION BY referral_id ORDER BY started_on, id)"""


def range_bounds(alias: str = "a") -> tuple[str, str]:
    """The range's two ends as dates in SQL (PostgreSQL types the CASE's literal)."""
    if connection.vendor == "postgresql":
        return f"CAST({alias}.valid_from AS date)", f"CAST({alias}.valid_to AS date)"
    return f"{alias}.valid_from", f"{alias}.valid_to"


def _derived_sql(stamp: Stamp, episodes: int, ranges: str | None = None) -> str:
    """Each event row's id with the team and worker the rule gives it now; ``ranges``:
    a table of the ranges already made (else the ranges' subquery, whose parameters come
    first)."""
    low, high = range_bounds()
    only = f" WHERE e.{stamp.episode} IN ({', '.join(['%s'] * episodes)})" if episodes else ""
    return f"""SELECT e.id AS id, a.team_id AS team_id, a.worker_id AS worker_id
        FROM {stamp.table} e
        LEFT JOIN {ranges or f"({allocation_ranges_sql(episodes)})"} a
          ON a.referral_id = e.{stamp.episode} AND e.{stamp.on} >= {low}
         AND e.{stamp.on} < {high}{only}"""


SQLITE_RANGES = "temp.scope_ranges"


def _sqlite_ranges(cursor, ids: list[int]) -> str:
    """SQLite joins a derived table by scanning it once per event row (no hash join):
    the ranges go into an indexed temporary table first (the demo's stamping took
    minutes without it)."""
    cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_RANGES}")
    cursor.execute(
        f"CREATE TABLE {SQLITE_RANGES} AS {allocation_ranges_sql(len(ids))}", [False, *ids]
    )
    cursor.execute(f"CREATE INDEX {SQLITE_RANGES}_episode ON scope_ranges (referral_id)")
    return SQLITE_RANGES


def _differs(left: str, right: str) -> str:
    return (
        f"{left} IS NOT {right}"
        if connection.vendor == "sqlite"
        else (f"{left} IS DISTINCT FROM {right}")
    )


def _params(ids: list[int]) -> list:
    return [False, *ids, *ids]


def restamp_scope(
    episodes: Iterable[int] | None = None,
    *,
    tables: Iterable[str] | None = None,
    only: Iterable[Stamp] | None = None,
) -> dict[str, date | None]:
    """Write the stored scope of every event of ``episodes`` (referral ids; None: every
    episode) in ``tables`` (None: every stamped table), where it differs from the rule's.

    Returns, per table whose rows changed, the earliest date among the changed rows (for
    the incremental KPI job; None when every episode was stamped, which does not collect
    dates). ``only``: stamps given by the caller (a data migration freezes its own).
    """
    ids = None if episodes is None else sorted({int(i) for i in episodes if i is not None})
    if ids == []:
        return {}
    wanted = None if tables is None else set(tables)
    changed: dict[str, date | None] = {}
    with connection.cursor() as cursor:
        ranges = _sqlite_ranges(cursor, ids or []) if connection.vendor == "sqlite" else None
        for stamp in only if only is not None else stamps():
            if wanted is not None and stamp.table not in wanted:
                continue
            count = len(ids) if ids else 0
            sql = f"""UPDATE {stamp.table} SET {stamp.team} = d.team_id,
                    {stamp.worker} = d.worker_id
                FROM ({_derived_sql(stamp, count, ranges)}) d
                WHERE {stamp.table}.id = d.id
                  AND ({_differs(f"{stamp.table}.{stamp.team}", "d.team_id")}
                       OR {_differs(f"{stamp.table}.{stamp.worker}", "d.worker_id")})"""
            params = _params(ids or []) if ranges is None else list(ids or [])
            if ids:
                cursor.execute(f"{sql} RETURNING {stamp.table}.{stamp.on}", params)
                days = [_as_date(row[0]) for row in cursor.fetchall() if row[0] is not None]
                if days:
                    earliest = min(days)
                    changed[stamp.table] = min(earliest, changed.get(stamp.table) or earliest)
            else:
                cursor.execute(sql, params)
                if cursor.rowcount:
                    changed[stamp.table] = None
    return changed


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def scope_drift() -> dict[str, int]:
    """Per stamped date column (``table.on``), the rows whose stored scope is not the
    rule's now: every count 0 unless a writer bypassed ``restamp_scope``."""
    drift = {}
    with connection.cursor() as cursor:
        ranges = _sqlite_ranges(cursor, []) if connection.vendor == "sqlite" else None
        for stamp in stamps():
            cursor.execute(
                f"""SELECT count(*) FROM {stamp.table} t
                    JOIN ({_derived_sql(stamp, 0, ranges)}) d ON d.id = t.id
                    WHERE {_differs(f"t.{stamp.team}", "d.team_id")}
                       OR {_differs(f"t.{stamp.worker}", "d.worker_id")}""",
                _params([]) if ranges is None else [],
            )
            drift[f"{stamp.table}.{stamp.on}"] = cursor.fetchone()[0]
    return drift


_deferred = threading.local()


@contextmanager
def stamping_deferred() -> Iterator[None]:
    """Saves inside collect the episodes they would re-stamp, and the block's end stamps
    them in one set-based pass (then announces the tables whose stamps moved, as an
    allocation's save does). For writers that save many records through the services in
    a row (the census importer): one UPDATE per table per save would read tables that
    grow faster than their statistics, and the import slowed with its own size. Nested
    blocks stamp at the outermost's end; a block left by an exception stamps nothing (its
    transaction is rolled back; ``restamp_scope`` mends what a crash left committed)."""
    if getattr(_deferred, "episodes", None) is not None:
        yield
        return
    _deferred.episodes = set()
    try:
        yield
        episodes = _deferred.episodes
    finally:
        _deferred.episodes = None
    _announce(restamp_scope(episodes))


def _announce(changed: dict[str, date | None]) -> None:
    from casework.signals import record_dated

    for table, day in changed.items():
        if day is not None:
            record_dated.send(sender=table, day=day)


def stamp_after_save(sender, instance, **kwargs) -> None:
    """``post_save`` of an event or an allocation, inside the saver's transaction.

    An event: its own table's stamps on its episode (its date may have moved; its save
    already announced its table to the KPI job). An allocation: every event of its
    episode, and each table whose stamps moved is announced from the earliest date moved.
    """
    from casework.models import Allocation

    deferred = getattr(_deferred, "episodes", None)
    if sender is Allocation:
        if deferred is not None:
            deferred.add(instance.referral_id)
            return
        _announce(restamp_scope([instance.referral_id]))
        return
    table = sender._meta.db_table
    stamp = next(s for s in stamps() if s.table == table)
    episode = instance.pk if stamp.episode == "id" else getattr(instance, stamp.episode)
    if deferred is not None:
        deferred.add(episode)
        return
    restamp_scope([episode], tables=[table])


def stamped_models() -> list:
    """The models whose saves re-stamp: the allocations and every stamped event."""
    from django.apps import apps

    from casework.models import Allocation

    tables = {s.table for s in stamps()}
    events = [m for m in apps.get_models() if m._meta.db_table in tables]
    return [Allocation, *events]

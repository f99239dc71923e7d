"""Portable SQL building blocks for the KPI queries (PostgreSQL and SQLite).

Working days are ``ordinal(b) - ordinal(a)`` on ``casework_workingday`` (the calendar
table's running count), so a deadline check is one index lookup per date, in SQL.
Calendar months use PostgreSQL's interval arithmetic, which clamps to the month end
(29 February 2024 + 12 months = 28 February 2025); the SQLite form does the same.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from casework.models import Allocation, WorkingDay
from casework.scope import allocation_ranges_sql, range_bounds


def add_months_sql(column: str, months: int, vendor: str) -> str:
    """SQL for ``column`` moved by a whole number of calendar months, clamped."""
    months = int(months)
    if vendor == "postgresql":
        return f"CAST(({column}) + make_interval(months => {months}) AS date)"
    # SQLite's date() rolls an overflow into the next month (31 Jan + 1 month = 3 Mar);
    # the smaller of that and the target month's last day is the clamped date. (No
    # strftime: a literal % would break Django's debug formatting of the SQL.)
    shifted = f"date({column}, '{months:+d} months')"
    last_day = f"date({column}, 'start of month', '{months + 1:+d} months', '-1 day')"
    return f"min({shifted}, {last_day})"


class AddMonths(Func):
    """An expression moved by whole calendar months (see add_months_sql)."""

    output_field = DateField()

    def __init__(self, expression, months: int, **extra):
        self.months = int(months)
        super().__init__(expression, **extra)

    def _render(self, compiler, connection, vendor):
        inner, params = compiler.compile(self.source_expressions[0])
        return add_months_sql(inner, self.months, vendor), params * (
            1 if vendor == "postgresql" else 2
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self._render(compiler, connection, "postgresql")

    def as_sqlite(self, compiler, connection, **extra):
        return self._render(compiler, connection, "sqlite")


def ordinal(date_ref) -> Subquery:
    """The working-day ordinal of a date (an OuterRef name or expression)."""
    ref = OuterRef(date_ref) if isinstance(date_ref, str) else date_ref
    return Subquery(
        WorkingDay.objects.filter(date=ref).values("ordinal")[:1], output_field=IntegerField()
    )


def is_working_day(date_ref) -> Exists:
    """The date (an OuterRef name or expression) is a working day."""
    ref = OuterRef(date_ref) if isinstance(date_ref, str) else date_ref
    return Exists(WorkingDay.objects.filter(date=ref, is_working_day=True))


def next_working_day(date_ref) -> Subquery:
    """The first working day after the date (an OuterRef name or expression)."""
    ref = OuterRef(date_ref) if isinstance(date_ref, str) else date_ref
    later = WorkingDay.objects.filter(date__gt=ref, is_working_day=True).order_by("date")
    return Subquery(later.values("date")[:1])


def working_days(from_ref: str, to_ref: str):
    """Working days in (from, to]: the working days a step took (domain.md section 3)."""
    return ordinal(to_ref) - ordinal(from_ref)


def allocation_at(field: str, *, referral: str = "referral", on: str):
    """``team_id`` or ``worker_id`` of the allocation an event is attributed to.

    Rule: the latest allocation of the event's episode that started on or before the
    event date (current then, or the last one before the event if the case had been
    unallocated); if the event came before any allocation (a referral recorded before it
    was allocated), the episode's first allocation. Allocations entered in error never
    count. This is who answers for an event, not who held the case that day (an open
    allocation on a date is ``casework.predicates``); the module docstring there says why.
    """
    episode = Allocation.objects.filter(referral=OuterRef(referral), entered_in_error=False)
    latest = episode.filter(started_on__lte=OuterRef(on)).order_by("-started_on", "-pk")
    first = episode.order_by("started_on", "pk")
    return Coalesce(
        Subquery(latest.values(field)[:1]),
        Subquery(first.values(field)[:1]),
        output_field=IntegerField(),
    )


def allocated_rows(
    events: QuerySet, *, episode: str, on: str, num: Q, own_worker=None
) -> list[dict]:
    """Flow rows (month, scope_team, scope_worker, num, den) with each event attributed to
    the allocation of its episode on its date (``allocation_at``'s rule), set-based.

    ``own_worker``: the event's own worker, preferred over the allocation's when recorded.
    """
    events = (
        events.annotate(
            ev_episode=F(episode),
            ev_on=F(on),
            ev_num=Case(When(num, then=Value(1)), default=Value(0), output_field=IntegerField()),
            # Typed: a bare NULL in a derived table is text to PostgreSQL, not an id.
            ev_worker=own_worker or Cast(Value(None), IntegerField()),
        )
        .values("ev_episode", "ev_on", "ev_num", "ev_worker")
        .order_by()
    )
    inner, params = events.query.sql_with_params()
    vendor = connection.vendor
    month = (
        "CAST(date_trunc('month', e.ev_on) AS date)"
        if vendor == "postgresql"
        else "date(e.ev_on, 'start of month')"
    )
    from_first, to_last = range_bounds()
    sql = f"""SELECT {month}, a.team_id, COALESCE(e.ev_worker, a.worker_id),
            SUM(e.ev_num), COUNT(*)
        FROM ({inner}) e
        LEFT JOIN ({allocation_ranges_sql()}) a
          ON a.referral_id = e.ev_episode AND e.ev_on >= {from_first} AND e.ev_on < {to_last}
        GROUP BY 1, 2, 3"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, False])
        keys = ("month", "scope_team", "scope_worker", "num", "den")
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def no_scope():
    return Value(None, output_field=IntegerField())


def current_rows(prefix: str = "") -> Q:
    """Rows (and, through ``prefix``, their parents) not marked entered in error."""
    return Q(**{f"{prefix}entered_in_error": False})


__all__ = [
    "AddMonths",
    "F",
    "add_months_sql",
    "allocated_rows",
    "allocation_at",
    "current_rows",
    "is_working_day",
    "next_working_day",
    "no_scope",
    "ordinal",
    "working_days",
]

"""Working days: England and Wales bank holidays plus the authority's closure days.

Day counting (domain.md section 3): the start date is day 0, and a deadline of N working
days is the N-th working day *after* it. So ``add_working_days(d, 0) == d`` (even when
``d`` is a weekend) and, from a Friday, ``add_working_days(friday, 1)`` is the following
Monday (or Tuesday after a bank holiday Monday). ``working_days_between(a, b)`` counts the
working days in (a, b]: the working days taken by something started on ``a`` and done on
``b``, so ``working_days_between(d, add_working_days(d, n)) == n``.

The ``WorkingDay`` table is the source of truth, so KPIs can do the same arithmetic in SQL
by subtracting ordinals; this module keeps an in-process copy for Python callers. Other
processes (web workers, Celery) notice a rebuild within ``RECHECK_SECONDS``: the copy is
re-validated against the table's non-working weekdays, a few hundred rows.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import holidays
from django.db import connection, transaction

CALENDAR_START = date(2000, 1, 1)
CALENDAR_END = date(2045, 12, 31)
# How stale another process's rebuild may look here. Closure days change a few times a
# year; a rebuild in this process is seen at once.
RECHECK_SECONDS = 30.0


class CalendarRangeError(ValueError):
    """A date outside the working-day calendar (2000-2045)."""


def bank_holidays(start: date = CALENDAR_START, end: date = CALENDAR_END) -> dict[date, str]:
    """England and Wales bank holidays, including substitute, moved and one-off days.

    From the maintained ``holidays`` library (GB, subdivision ENG), not a hand-typed list:
    e.g. VE Day moved to Friday 8 May 2020, the 2022 Platinum Jubilee and State Funeral,
    the 2023 Coronation, and "(observed)" substitutes when Christmas falls at a weekend.
    """
    years = range(start.year, end.year + 1)
    found = holidays.country_holidays("GB", subdiv="ENG", years=years)
    return {d: name for d, name in found.items() if start <= d <= end}


def _check_date(day: date) -> date:
    # datetime is a subclass of date: refuse it rather than compare a time with a date.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, got {day!r} (use timezone.localdate() for a datetime)")
    return day


@dataclass(frozen=True)
class Calendar:
    """An immutable snapshot: for each date, working-day flag and running ordinal."""

    start: date
    cumulative: list[int]  # working days in [start, start + i]
    working_dates: list[date]  # sorted; working_dates[k] has ordinal k + 1
    non_working_weekdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def build(cls, non_working, start=CALENDAR_START, end=CALENDAR_END) -> Calendar:
        cumulative: list[int] = []
        working_dates: list[date] = []
        count = 0
        day = start
        while day <= end:
            if day.weekday() < 5 and day not in non_working:
                count += 1
                working_dates.append(day)
            cumulative.append(count)
            day += timedelta(days=1)
        closed = frozenset(d for d in non_working if d.weekday() < 5 and start <= d <= end)
        return cls(start, cumulative, working_dates, closed)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=len(self.cumulative) - 1)

    def _index(self, day: date) -> int:
        i = (_check_date(day) - self.start).days
        if i < 0 or i >= len(self.cumulative):
            raise CalendarRangeError(
                f"{day} is outside the working-day calendar ({self.start} to {self.end})"
            )
        return i

    def ordinal(self, day: date) -> int:
        return self.cumulative[self._index(day)]

    def is_working_day(self, day: date) -> bool:
        i = self._index(day)
        return self.cumulative[i] != (self.cumulative[i - 1] if i else 0)

    def add(self, day: date, n: int) -> date:
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be a whole number of working days, got {n!r}")
        if n < 0:
            raise ValueError("n must be zero or positive")
        target = self.ordinal(day) + n  # also checks the range when n == 0
        if n == 0:
            return day
        if target > len(self.working_dates):
            raise CalendarRangeError(f"{n} working days after {day} is beyond the calendar")
        return self.working_dates[target - 1]

    def between(self, a: date, b: date) -> int:
        return self.ordinal(b) - self.ordinal(a)

    def next_working_day_on_or_after(self, day: date) -> date:
        self._index(day)
        i = bisect.bisect_left(self.working_dates, day)
        if i >= len(self.working_dates):
            raise CalendarRangeError(f"no working day on or after {day} in the calendar")
        return self.working_dates[i]


_lock = threading.Lock()
_cached: Calendar | None = None
_checked_at = 0.0


def current() -> Calendar:
    """The calendar as stored in the database, cached per process and rechecked."""
    global _cached, _checked_at
    with _lock:
        now = time.monotonic()
        if _cached is not None and now - _checked_at > RECHECK_SECONDS:
            if _stored_non_working_weekdays() != _cached.non_working_weekdays:
                _cached = None
            _checked_at = now
        if _cached is None:
            _cached = _load()
            _checked_at = now
        return _cached


def invalidate() -> None:
    """Forget the in-process copy (after a rebuild, or between tests)."""
    global _cached
    with _lock:
        _cached = None


def _stored_non_working_weekdays() -> frozenset[date]:
    from casework.models import WorkingDay

    # Django's week_day: 1 is Sunday, 7 is Saturday.
    rows = WorkingDay.objects.filter(is_working_day=False).exclude(date__week_day__in=[1, 7])
    return frozenset(rows.values_list("date", flat=True))


def _load() -> Calendar:
    from casework.models import WorkingDay

    rows = list(WorkingDay.objects.order_by("date").values_list("date", "is_working_day"))
    if not rows:
        # Before the table is built (e.g. first migrate), fall back to bank holidays alone.
        return Calendar.build(bank_holidays())
    non_working = {d for d, working in rows if not working}
    return Calendar.build(non_working, start=rows[0][0], end=rows[-1][0])


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` is day 0; n >= 0)."""
    return current().add(day, n)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative when b is before a."""
    return current().between(a, b)


def is_working_day(day: date) -> bool:
    return current().is_working_day(day)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the next one (for dates and targets)."""
    return current().next_working_day_on_or_after(day)


def non_working_days(closure_days) -> dict[date, str]:
    """Bank holidays plus ``(date, reason)`` closure days; a bank holiday keeps its name."""
    found = bank_holidays()
    for day, reason in closure_days:
        found.setdefault(day, reason)
    return found


def working_day_rows(model, non_working: dict[date, str]) -> Iterator:
    """Unsaved ``model`` (WorkingDay, or its historical model in a migration) rows."""
    calendar = Calendar.build(non_working)
    for i, ordinal in enumerate(calendar.cumulative):
        day = CALENDAR_START + timedelta(days=i)
        yield model(
            date=day,
            is_working_day=day.weekday() < 5 and day not in non_working,
            ordinal=ordinal,
            holiday=non_working.get(day, ""),
        )


@transaction.atomic
def calendar_rebuild() -> int:
    """Rewrite the WorkingDay table from bank holidays and the authority's closure days.

    Returns the number of dates written. Called whenever closure days change, by
    ``casework.timescales`` (which then recomputes open deadlines).
    """
    global _cached, _checked_at
    from casework.models import ClosureDay, WorkingDay

    if connection.vendor == "postgresql":
        # Two rebuilds at once would each delete the other's rows and then collide on
        # insert; readers (plain SELECT) are not blocked by this lock mode.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {WorkingDay._meta.db_table} IN EXCLUSIVE MODE")
    non_working = non_working_days(ClosureDay.objects.values_list("date", "reason"))
    WorkingDay.objects.all().delete()
    rows = WorkingDay.objects.bulk_create(
        working_day_rows(WorkingDay, non_working), batch_size=5000
    )
    with _lock:
        # This process sees its own rebuild at once; after a rollback the periodic
        # recheck (and the test suite's per-test invalidate) restores the stored one.
        _cached = Calendar.build(non_working)
        _checked_at = time.monotonic()
    transaction.on_commit(invalidate)
    return len(rows)

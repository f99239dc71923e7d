"""Working days: England and Wales bank holidays plus the authority's closure days.

Day counting (domain.md section 3): the start date is day 0, and a deadline of N working
days is the N-th working day *after* it. So ``add_working_days(d, 0) == d`` and, from a
Friday, ``add_working_days(friday, 1)`` is the following Monday (or Tuesday after a bank
holiday Monday). ``working_days_between(a, b)`` counts the working days in (a, b]: the
working days taken by something started on ``a`` and done on ``b``.

The ``WorkingDay`` table is the source of truth, so KPIs can do the same arithmetic in SQL
by subtracting ordinals; this module keeps an in-process copy for Python callers.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from django.db import transaction

CALENDAR_START = date(2000, 1, 1)
CALENDAR_END = date(2045, 12, 31)


class CalendarRangeError(ValueError):
    """A date outside the working-day calendar (2000-2045)."""


def bank_holidays(start: date = CALENDAR_START, end: date = CALENDAR_END) -> dict[date, str]:
    """England and Wales bank holidays, including one-off and moved days."""
    years = range(start.year, end.year + 1)
    found = holidays.country_holidays("GB", subdiv="ENG", years=years)
    return {d: name for d, name in found.items() if start <= d <= end}


@dataclass(frozen=True)
class Calendar:
    """An immutable snapshot: for each date, working-day flag and running ordinal."""

    start: date
    cumulative: list[int]  # working days in [start, start + i]
    working_dates: list[date]  # sorted; working_dates[k] has ordinal k + 1

    @classmethod
    def build(cls, non_working: dict[date, str], start=CALENDAR_START, end=CALENDAR_END):
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
        return cls(start=start, cumulative=cumulative, working_dates=working_dates)

    def _index(self, day: date) -> int:
        i = (day - self.start).days
        if i < 0 or i >= len(self.cumulative):
            raise CalendarRangeError(f"{day} is outside the working-day calendar")
        return i

    def ordinal(self, day: date) -> int:
        return self.cumulative[self._index(day)]

    def is_working_day(self, day: date) -> bool:
        i = self._index(day)
        return self.cumulative[i] != (self.cumulative[i - 1] if i else 0)

    def add(self, day: date, n: int) -> date:
        if n == 0:
            self._index(day)
            return day
        if n < 0:
            raise ValueError("n must be zero or positive")
        target = self.ordinal(day) + n
        if target > len(self.working_dates):
            raise CalendarRangeError(f"{n} working days after {day} is beyond the calendar")
        return self.working_dates[target - 1]

    def between(self, a: date, b: date) -> int:
        return self.ordinal(b) - self.ordinal(a)

    def next_working_day_on_or_after(self, day: date) -> date:
        i = bisect.bisect_left(self.working_dates, day)
        if i >= len(self.working_dates):
            raise CalendarRangeError(f"no working day on or after {day} in the calendar")
        return self.working_dates[i]


_lock = threading.Lock()
_cached: Calendar | None = None


def current() -> Calendar:
    """The calendar as stored in the database, loaded once per process."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = _load()
        return _cached


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


def _load() -> Calendar:
    from casework.models import WorkingDay

    rows = list(WorkingDay.objects.order_by("date").values_list("date", "is_working_day"))
    if not rows:
        # Before the table is built (e.g. first migrate), fall back to bank holidays alone.
        return Calendar.build(bank_holidays())
    non_working = {d: "" for d, working in rows if not working}
    return Calendar.build(non_working, start=rows[0][0], end=rows[-1][0])


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` is day 0)."""
    return current().add(day, n)


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative when b is before a."""
    return current().between(a, b)


def is_working_day(day: date) -> bool:
    return current().is_working_day(day)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the next one (for dates and targets)."""
    return current().next_working_day_on_or_after(day)


@transaction.atomic
def calendar_rebuild() -> int:
    """Rewrite the WorkingDay table from bank holidays and the authority's closure days.

    Returns the number of dates written. Called by the initial data migration and
    whenever closure days change (then open deadlines are recomputed by the caller).
    """
    from casework.models import ClosureDay, WorkingDay

    non_working = bank_holidays()
    for closure in ClosureDay.objects.all():
        non_working.setdefault(closure.date, closure.reason)
    rows = _rows(non_working)
    WorkingDay.objects.all().delete()
    WorkingDay.objects.bulk_create(rows, batch_size=5000)
    invalidate()
    transaction.on_commit(invalidate)
    return len(rows)


def _rows(non_working: dict[date, str]):
    from casework.models import WorkingDay

    calendar = Calendar.build(non_working)
    rows = []
    day = CALENDAR_START
    for i, ordinal in enumerate(calendar.cumulative):
        working = day.weekday() < 5 and day not in non_working
        rows.append(
            WorkingDay(
                date=day,
                is_working_day=working,
                ordinal=ordinal,
                holiday=non_working.get(day, ""),
            )
        )
        day = CALENDAR_START + timedelta(days=i + 1)
    return rows

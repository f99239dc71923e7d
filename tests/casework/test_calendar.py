"""The working-day calendar against an independent count over the ``holidays`` library.

The oracle walks the calendar a day at a time using only ``holidays`` and the weekday, so
it shares no code with ``casework.calendar`` (which counts with cumulative ordinals).
"""

import random
from datetime import date, datetime, timedelta
from functools import cache

import holidays
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import calendar
from casework.calendar import (
    CalendarRangeError,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from casework.models import WorkingDay

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2010, 1, 1), date(2040, 12, 31)
ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2000, 2046))


def oracle_is_working(day: date) -> bool:
    return day.weekday() < 5 and day not in ENGLAND


def oracle_add(day: date, n: int) -> date:
    found = 0
    while found < n:
        day += timedelta(days=1)
        if oracle_is_working(day):
            found += 1
    return day


def oracle_between(a: date, b: date) -> int:
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        count += oracle_is_working(day)
    return sign * count


@cache
def _dates_strategy():
    return st.dates(min_value=FIRST, max_value=LAST)


# --- property tests -------------------------------------------------------------------------


@settings(
    max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=_dates_strategy(), n=st.integers(min_value=0, max_value=60))
def test_add_working_days_agrees_with_a_day_by_day_count(day, n):
    assert add_working_days(day, n) == oracle_add(day, n)


@settings(
    max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=_dates_strategy(), span=st.integers(min_value=-120, max_value=120))
def test_working_days_between_agrees_with_a_day_by_day_count(a, span):
    b = a + timedelta(days=span)
    assert working_days_between(a, b) == oracle_between(a, b)


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=_dates_strategy(), n=st.integers(min_value=0, max_value=60))
def test_counting_back_from_the_deadline_gives_n(day, n):
    assert working_days_between(day, add_working_days(day, n)) == n


def test_every_date_2010_to_2040_and_every_n_up_to_60_agrees_with_the_oracle():
    # Exhaustive: for each start date, walk forward once collecting its next 60 working days.
    day = FIRST
    while day <= LAST:
        expected, probe = [day], day
        while len(expected) <= 60:
            probe += timedelta(days=1)
            if oracle_is_working(probe):
                expected.append(probe)
        actual = [add_working_days(day, n) for n in range(61)]
        assert actual == expected, day
        day += timedelta(days=1)


# --- day-0 convention -----------------------------------------------------------------------


def test_day_zero_is_the_start_date_itself_even_at_a_weekend():
    assert add_working_days(date(2024, 3, 13), 0) == date(2024, 3, 13)
    assert add_working_days(date(2024, 3, 16), 0) == date(2024, 3, 16)  # a Saturday


def test_one_working_day_after_a_friday_is_the_monday():
    assert add_working_days(date(2024, 3, 15), 1) == date(2024, 3, 18)


def test_one_working_day_after_a_saturday_is_the_monday():
    assert add_working_days(date(2024, 3, 16), 1) == date(2024, 3, 18)


def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(date(2024, 3, 15), date(2024, 3, 15)) == 0
    assert working_days_between(date(2024, 3, 15), date(2024, 3, 18)) == 1
    assert working_days_between(date(2024, 3, 18), date(2024, 3, 15)) == -1


def test_negative_n_is_refused():
    with pytest.raises(ValueError, match="zero or positive"):
        add_working_days(date(2024, 3, 15), -1)


def test_a_datetime_is_refused_rather_than_silently_compared():
    with pytest.raises(TypeError, match="localdate"):
        add_working_days(datetime(2024, 3, 15, 9, 0), 1)  # noqa: DTZ001


# --- bank holidays --------------------------------------------------------------------------


def test_ve_day_2020_moved_to_friday_8_may_and_monday_4_may_is_a_working_day():
    assert not is_working_day(date(2020, 5, 8))
    assert is_working_day(date(2020, 5, 4))
    assert add_working_days(date(2020, 5, 7), 1) == date(2020, 5, 11)


def test_platinum_jubilee_2022_thursday_and_friday_are_bank_holidays():
    assert not is_working_day(date(2022, 6, 2))
    assert not is_working_day(date(2022, 6, 3))
    assert is_working_day(date(2022, 5, 30))  # the usual spring bank holiday moved away
    assert add_working_days(date(2022, 6, 1), 1) == date(2022, 6, 6)


def test_queens_state_funeral_19_september_2022_is_a_bank_holiday():
    assert not is_working_day(date(2022, 9, 19))
    assert add_working_days(date(2022, 9, 16), 1) == date(2022, 9, 20)


def test_coronation_8_may_2023_is_a_bank_holiday():
    assert not is_working_day(date(2023, 5, 8))
    assert working_days_between(date(2023, 5, 5), date(2023, 5, 9)) == 1


def test_christmas_on_a_saturday_gives_substitute_days_on_monday_and_tuesday():
    # 2021: Christmas Saturday, Boxing Day Sunday; substitutes 27 and 28 December.
    assert not is_working_day(date(2021, 12, 27))
    assert not is_working_day(date(2021, 12, 28))
    assert add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)


def test_boxing_day_on_a_saturday_gives_a_substitute_monday():
    # 2020: Christmas Friday, Boxing Day Saturday, substitute Monday 28 December.
    assert not is_working_day(date(2020, 12, 25))
    assert not is_working_day(date(2020, 12, 28))
    assert add_working_days(date(2020, 12, 24), 1) == date(2020, 12, 29)


def test_leap_day_2024_is_counted_as_a_working_day():
    assert is_working_day(date(2024, 2, 29))
    assert add_working_days(date(2024, 2, 28), 1) == date(2024, 2, 29)
    assert working_days_between(date(2024, 2, 26), date(2024, 3, 4)) == 5


def test_next_working_day_is_the_day_itself_or_the_next_after_a_bank_holiday_weekend():
    assert next_working_day(date(2024, 3, 15)) == date(2024, 3, 15)
    assert next_working_day(date(2024, 3, 30)) == date(2024, 4, 2)  # Easter Saturday


# --- range ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: add_working_days(date(1999, 12, 31), 0),
        lambda: add_working_days(date(2046, 1, 1), 1),
        lambda: add_working_days(date(2045, 12, 20), 60),
        lambda: working_days_between(date(1999, 12, 31), date(2000, 1, 5)),
        lambda: is_working_day(date(2046, 1, 1)),
        lambda: next_working_day(date(1999, 6, 1)),
        lambda: next_working_day(date(2045, 12, 30)),
    ],
)
def test_dates_outside_2000_to_2045_raise_calendar_range_error(call):
    with pytest.raises(CalendarRangeError):
        call()


# --- the table ------------------------------------------------------------------------------


def test_the_table_holds_every_date_from_2000_to_2045_once():
    days = (date(2045, 12, 31) - date(2000, 1, 1)).days + 1
    assert WorkingDay.objects.count() == days
    first, last = WorkingDay.objects.first(), WorkingDay.objects.last()
    assert (first.date, last.date) == (date(2000, 1, 1), date(2045, 12, 31))


def test_the_table_flags_agree_with_the_holidays_library():
    rows = dict(WorkingDay.objects.values_list("date", "is_working_day"))
    wrong = [d for d, working in rows.items() if working != oracle_is_working(d)]
    assert wrong == []


def test_each_ordinal_is_the_previous_plus_one_on_a_working_day():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM (
                SELECT is_working_day, ordinal,
                       ordinal - coalesce(lag(ordinal) OVER (ORDER BY date), 0) AS step
                FROM casework_workingday
            ) AS t
            WHERE step <> CASE WHEN is_working_day THEN 1 ELSE 0 END
            """
        )
        assert cursor.fetchone()[0] == 0


def test_ordinal_differences_in_sql_equal_working_days_between(django_assert_num_queries):
    rng = random.Random(20240229)
    start, span = date(2000, 1, 1), (date(2045, 12, 31) - date(2000, 1, 1)).days
    pairs = [
        (start + timedelta(days=rng.randrange(span)), start + timedelta(days=rng.randrange(span)))
        for _ in range(500)
    ]
    pairs += [(date(2020, 5, 1), date(2020, 5, 11)), (date(2022, 5, 31), date(2022, 6, 6))]
    add_working_days(start, 0)  # load the in-process copy before counting queries
    with django_assert_num_queries(1), connection.cursor() as cursor:
        # One query: the differences are computed by the database for all pairs.
        cursor.execute(
            """
            SELECT p.a, p.b, wb.ordinal - wa.ordinal
            FROM unnest(%s::date[], %s::date[]) AS p(a, b)
            JOIN casework_workingday wa ON wa.date = p.a
            JOIN casework_workingday wb ON wb.date = p.b
            """,
            [[a for a, _ in pairs], [b for _, b in pairs]],
        )
        rows = cursor.fetchall()
    assert len(rows) == len(pairs)
    for a, b, difference in rows:
        assert difference == working_days_between(a, b)
    for a, b, difference in rows[:50]:
        assert difference == oracle_between(a, b)


# --- rebuild --------------------------------------------------------------------------------


def test_rebuild_adds_a_closure_day_and_shifts_later_ordinals(django_capture_on_commit_callbacks):
    from casework.models import ClosureDay

    before = WorkingDay.objects.get(date=date(2031, 1, 1)).ordinal
    ClosureDay.objects.create(date=date(2030, 12, 30), reason="Office move")
    with django_capture_on_commit_callbacks(execute=True):
        written = calendar.calendar_rebuild()
    assert written == WorkingDay.objects.count()
    closed = WorkingDay.objects.get(date=date(2030, 12, 30))
    assert (closed.is_working_day, closed.holiday) == (False, "Office move")
    assert WorkingDay.objects.get(date=date(2031, 1, 1)).ordinal == before - 1
    assert not is_working_day(date(2030, 12, 30))


def test_another_processs_rebuild_is_noticed_at_the_next_recheck(monkeypatch):
    add_working_days(date(2030, 12, 27), 1)  # cached
    WorkingDay.objects.filter(date=date(2030, 12, 30)).update(is_working_day=False)
    assert is_working_day(date(2030, 12, 30))  # stale until the recheck interval
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", -1.0)
    assert not is_working_day(date(2030, 12, 30))

"""Care timescales (care.md section 3), counted on the one calendar (``casework.calendar``).

- Looked-after reviews (CPPCR reg 33): first within 20 working days of becoming looked
  after; second within 3 months of the first; then within 6 months of the previous.
- Social worker visits (reg 28(2)): within 1 week of a placement starting; then at most
  6-weekly in the placement's first year; after that at most 3-monthly if the placement
  is meant to last until the child is 18, else 6-weekly. A manager may set a shorter
  interval (never a longer one).
- Health (reg 7; 2015 statutory guidance): initial health assessment by the first
  review; review health assessments 6-monthly under 5, yearly from 5.
- PEP: started within 10 working days of becoming looked after, reviewed termly
  (every 4 months: three terms a year; LA procedures).
- Return home interview: within 72 hours of the child's return (DfE 2014).

A "within N months" deadline that falls on a day the authority is closed (weekend,
bank holiday, closure day) is brought back to the last working day before it: the
meeting has to happen within the interval, and nobody can hold it on a closed day.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from casework import calendar

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
FIRST_VISIT_DAYS = 7
VISIT_MAX_DAYS = 42  # 6 weeks
LONG_TERM_VISIT_MONTHS = 3
PEP_WORKING_DAYS = 10
PEP_REVIEW_MONTHS = 4
RETURN_INTERVIEW_DAYS = 3  # 72 hours


def last_working_day_by(day: date) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def first_review_due_on(entered_on: date) -> date:
    return calendar.add_working_days(entered_on, FIRST_REVIEW_WORKING_DAYS)


def next_review_due_on(held_on: date, *, reviews_held: int) -> date:
    """Due date of the review after one held on ``held_on`` (``reviews_held`` so far)."""
    months = SECOND_REVIEW_MONTHS if reviews_held == 1 else LATER_REVIEW_MONTHS
    return last_working_day_by(held_on + relativedelta(months=months))


def visit_max_interval_end(placement_started_on: date, last_visit: date, *, long_term: bool):
    """The latest date the next visit is lawful after a visit on ``last_visit``."""
    six_weeks = last_visit + timedelta(days=VISIT_MAX_DAYS)
    first_year_ends = placement_started_on + relativedelta(years=1)
    if long_term and last_visit >= first_year_ends:
        return last_visit + relativedelta(months=LONG_TERM_VISIT_MONTHS)
    return six_weeks


def legal_max_visit_interval_days(placement_started_on: date, last_visit: date, *, long_term):
    end = visit_max_interval_end(placement_started_on, last_visit, long_term=long_term)
    return (end - last_visit).days


def next_visit_due_on(
    placement_started_on: date,
    last_visit: date | None,
    *,
    long_term: bool,
    interval_days: int | None = None,
) -> date:
    """Next statutory visit: a week after the placement starts, then the interval."""
    if last_visit is None or last_visit < placement_started_on:
        return placement_started_on + timedelta(days=FIRST_VISIT_DAYS)
    legal = visit_max_interval_end(placement_started_on, last_visit, long_term=long_term)
    if interval_days:
        return min(legal, last_visit + timedelta(days=interval_days))
    return legal


def initial_health_due_on(entered_on: date) -> date:
    return first_review_due_on(entered_on)


def review_health_due_on(done_on: date, *, age: int | None) -> date:
    months = 6 if age is not None and age < 5 else 12
    return done_on + relativedelta(months=months)


def first_pep_due_on(entered_on: date) -> date:
    return calendar.add_working_days(entered_on, PEP_WORKING_DAYS)


def next_pep_due_on(held_on: date) -> date:
    return last_working_day_by(held_on + relativedelta(months=PEP_REVIEW_MONTHS))


def return_interview_due_on(returned_on: date) -> date:
    return returned_on + timedelta(days=RETURN_INTERVIEW_DAYS)

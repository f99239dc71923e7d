"""Deadline status from a stored due date and the (pinned) clock, in working days."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from casework.models import Deadline
from tests.casework import records
from tests.casework.records import LONDON

pytestmark = pytest.mark.django_db

# Due Tuesday 22 April 2025, after the Easter weekend (Good Friday 18, Easter Monday 21).
DUE_AFTER_EASTER = date(2025, 4, 22)


def on(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON), tick=False
    )


def status_on(day: date, *, due_on=DUE_AFTER_EASTER, done_on=None):
    with on(day):
        return Deadline.status(due_on=due_on, done_on=done_on)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 4, 1), Deadline.DUE),
        # Tue 15, Wed 16, Thu 17, Tue 22: four working days left despite 8 calendar days.
        (date(2025, 4, 14), Deadline.DUE),
        # Wed 16, Thu 17, Tue 22: three left.
        (date(2025, 4, 15), Deadline.DUE_SOON),
        # Over the bank holiday weekend only the due date itself is left.
        (date(2025, 4, 19), Deadline.DUE_SOON),
        (date(2025, 4, 21), Deadline.DUE_SOON),
        (DUE_AFTER_EASTER, Deadline.DUE_SOON),
        (date(2025, 4, 23), Deadline.OVERDUE),
    ],
)
def test_an_open_step_is_due_then_due_soon_then_overdue(today, expected):
    assert status_on(today) == expected


def test_due_soon_counts_working_days_not_calendar_days():
    # Thursday 17 April to Tuesday 22 April is five calendar days but one working day.
    assert status_on(date(2025, 4, 17)) == Deadline.DUE_SOON
    # The same gap with no bank holiday: Thursday 8 May to Tuesday 13 May 2025 is three.
    assert status_on(date(2025, 5, 8), due_on=date(2025, 5, 13)) == Deadline.DUE_SOON
    assert status_on(date(2025, 5, 7), due_on=date(2025, 5, 13)) == Deadline.DUE


@pytest.mark.parametrize(
    ("done_on", "expected"),
    [
        (date(2025, 4, 10), Deadline.MET),
        (DUE_AFTER_EASTER, Deadline.MET),
        (date(2025, 4, 23), Deadline.MISSED),
    ],
)
def test_a_done_step_is_met_or_missed_whatever_the_date_today(done_on, expected):
    assert status_on(date(2025, 4, 1), done_on=done_on) == expected
    assert status_on(date(2025, 9, 1), done_on=done_on) == expected


def test_no_due_date_has_no_status():
    assert status_on(date(2025, 4, 1), due_on=None) is None


def test_the_clock_is_the_local_date_in_london():
    # 23:30 UTC on 22 April 2025 is already 23 April in London (BST): overdue.
    with time_machine.travel(datetime(2025, 4, 22, 23, 30, tzinfo=UTC), tick=False):
        assert Deadline.status(due_on=DUE_AFTER_EASTER, done_on=None) == Deadline.OVERDUE


def test_an_assessment_authorised_after_its_due_date_missed_it():
    referral = records.referral(referred_on=date(2025, 2, 14))
    assessment = records.assessment(on=referral)
    assert assessment.due_on == DUE_AFTER_EASTER  # 45 working days, skipping Easter

    with on(date(2025, 4, 16)):
        assert assessment.deadline_status(timezone.localdate()) == Deadline.DUE_SOON
    # Met or missed is read from the stored dates alone (the status is the services' to set).
    assessment.authorised_on = date(2025, 4, 23)
    with on(date(2025, 4, 16)):
        assert assessment.deadline_status(timezone.localdate()) == Deadline.MISSED

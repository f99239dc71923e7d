"""Early help and front-door KPIs: known answers on hand-built records."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from casework import timescales
from casework.calendar import next_working_day
from earlyhelp.kpi_contact_sources import breakdown_live
from referrals.models import Contact, ScreeningDecision
from tests.earlyhelp.builders import episode
from tests.metrics import builders as b
from tests.metrics.conftest import figure, working_day_calendar  # noqa: F401

pytestmark = pytest.mark.django_db

ONE_DAY = timedelta(days=1)


def test_early_help_assessments_and_rate_count_assessments_started_in_the_period():
    b.authority(population={2024: 40_000})
    episode(b.child(), date(2024, 4, 1), assessment_started_on=date(2024, 4, 8))
    episode(b.child(), date(2024, 4, 1), assessment_started_on=date(2024, 6, 30))
    episode(b.child(), date(2024, 4, 1))  # requested, never assessed
    episode(b.child(), date(2024, 3, 1), assessment_started_on=date(2024, 3, 29))  # earlier
    wrong = episode(b.child(), date(2024, 4, 1), assessment_started_on=date(2024, 4, 9))
    b.in_error(wrong)
    assert figure("early_help_assessments", "2024-Q1") == (2, 2, 2.0)
    # 2 per 40,000 children = 0.5 per 10,000.
    assert figure("rate_early_help_per_10k", "2024-Q1") == (2, 40_000, 0.5)


def test_closed_with_needs_met_is_a_share_of_closures():
    b.authority()
    for reason in ["needs_met", "needs_met", "needs_met", "moved"]:
        episode(b.child(), date(2024, 1, 8), closed_on=date(2024, 5, 10), reason=reason)
    episode(b.child(), date(2024, 1, 8), closed_on=date(2024, 6, 3), reason="needs_met")
    assert figure("early_help_closed_needs_met", "2024-05") == (3, 4, 75.0)


def test_stepped_up_within_12_months_of_closure():
    b.authority()
    back = b.child()
    episode(back, date(2024, 1, 8), closed_on=date(2024, 5, 10), reason="needs_met")
    b.referral(back, date(2025, 5, 10))  # 12 months to the day: counts
    late = b.child()
    episode(late, date(2024, 1, 8), closed_on=date(2024, 5, 10), reason="needs_met")
    b.referral(late, date(2025, 5, 11))  # a day over
    before = b.child()
    b.referral(before, date(2024, 1, 2), closed_on=date(2024, 1, 5))
    episode(before, date(2024, 1, 8), closed_on=date(2024, 5, 20), reason="disengaged")
    # Stepped up: the referral is the step-up itself, not a return.
    up = b.child()
    episode(up, date(2024, 1, 8), closed_on=date(2024, 5, 21), reason="stepped_up")
    b.referral(up, date(2024, 5, 22))
    assert figure("early_help_stepped_up_12m", "2024-05") == (1, 3, pytest.approx(33.3333))


def test_step_downs_are_counted_among_requests():
    b.authority()
    episode(b.child(), date(2024, 7, 1), route="step_down_assessment")
    episode(b.child(), date(2024, 7, 2), route="step_down_cin")
    episode(b.child(), date(2024, 7, 3), route="contact")
    episode(b.child(), date(2024, 7, 4), route="partner")
    assert figure("stepdown_to_early_help", "2024-07") == (2, 4, 2.0)


def test_contacts_by_source_counts_progressed_children_per_source():
    b.authority()
    d = date(2024, 9, 2)
    police = b.contact(b.at(d), [b.child(), b.child()], decided=b.at(d), source="6",
                       decision=ScreeningDecision.REFERRAL)  # fmt: skip
    b.contact(b.at(d), [b.child()], decided=b.at(d), source="6")  # NFA
    b.contact(b.at(d), [b.child()], decided=b.at(d), source="2A",
              decision=ScreeningDecision.EARLY_HELP)  # fmt: skip
    b.contact(b.at(d), [b.child()], decided=b.at(d), source="2A",
              decision=ScreeningDecision.ADVICE)  # fmt: skip
    assert police.children.count() == 2
    assert figure("contacts_by_source", "2024-09") == (3, 5, 60.0)
    rows = breakdown_live(date(2024, 9, 1), date(2024, 9, 30))
    assert [(r["source"], r["contacts"], r["progressed"], r["percent"]) for r in rows] == [
        ("6", 3, 2, 66.7),
        ("2A", 2, 1, 50.0),
    ]


def test_contacts_with_an_open_early_help_episode_on_the_day_of_receipt():
    b.authority()
    open_one, closed_before, later, closes_that_day = b.child(), b.child(), b.child(), b.child()
    episode(open_one, date(2024, 8, 1))
    episode(closed_before, date(2024, 6, 3), closed_on=date(2024, 9, 1), reason="needs_met")
    episode(later, date(2024, 9, 3))
    episode(closes_that_day, date(2024, 6, 3), closed_on=date(2024, 9, 2), reason="moved")
    d = date(2024, 9, 2)
    b.contact(b.at(d), [open_one, closed_before, later, closes_that_day], decided=b.at(d))
    assert figure("contacts_open_early_help", "2024-09") == (1, 4, 25.0)


@pytest.mark.parametrize(
    ("unit", "amount", "clock", "expected"),
    [
        # Received Friday 6 September 10:00 (A) and Saturday 7 September 10:00 (B).
        # A decided Friday 16:00; B decided Monday 9 September 09:00; C received Monday
        # 10:00 and decided Tuesday 11:00.
        ("working_days", 1, "receipt", (3, 3)),
        ("working_days", 0, "receipt", (1, 3)),  # same working day: only A
        ("working_days", 0, "working_day", (2, 3)),  # B's clock starts Monday
        ("hours", 24, "receipt", (1, 3)),  # B took 47 hours, C 25
        ("hours", 24, "working_day", (2, 3)),  # B from Monday 00:00: 9 hours
    ],
)
def test_screened_within_the_authoritys_standard(unit, amount, clock, expected):
    la = b.authority()
    la.screening_standard_unit, la.screening_standard_amount = unit, amount
    la.screening_clock_start = clock
    la.save()
    fri, sat, mon, tue = date(2024, 9, 6), date(2024, 9, 7), date(2024, 9, 9), date(2024, 9, 10)
    b.contact(b.at(fri), [b.child()], decided=b.at(fri, 16))
    b.contact(b.at(sat), [b.child()], decided=b.at(mon, 9))
    b.contact(b.at(mon), [b.child()], decided=b.at(tue, 11))
    b.contact(b.at(mon), [b.child()])  # not decided: counted, never in standard
    num, den, _ = figure("contacts_screened_in_standard", "2024-09")
    assert (num, den - 1) == expected


STANDARDS = [
    ("working_days", 1, "receipt"),
    ("working_days", 0, "receipt"),
    ("working_days", 2, "working_day"),
    ("hours", 24, "receipt"),
    ("hours", 24, "working_day"),
]


@pytest.mark.parametrize("standard", STANDARDS)
@pytest.mark.parametrize("received_on", [date(2024, 9, 6), date(2024, 9, 7)])  # Fri, Sat
def test_a_decision_on_the_stored_due_date_is_in_standard_and_a_later_one_is_not(
    standard, received_on
):
    """The KPI's SQL and casework.timescales' due date are one rule (known answers)."""
    la = b.authority()
    la.screening_standard_unit, la.screening_standard_amount, la.screening_clock_start = standard
    la.save()
    received = b.at(received_on)
    rule = timescales.ScreeningStandard(*standard)
    due_on = timescales.screening_due_on(received, rule)
    due_at = timescales.screening_due_at(received, rule)
    # Hours: exactly when they run out, and a minute later. Working days: late on the due
    # date, and the next working day.
    on_time = due_at or b.at(due_on, 17)
    late = due_at + timedelta(minutes=1) if due_at else b.at(next_working_day(due_on + ONE_DAY))
    in_time = b.contact(received, [b.child()], decided=on_time)
    b.contact(received, [b.child()], decided=late)

    assert Contact.objects.get(pk=in_time.pk).screening_due_on == due_on
    assert timezone.localdate(on_time) == due_on
    assert figure("contacts_screened_in_standard", "2024-09")[:2] == (1, 2)

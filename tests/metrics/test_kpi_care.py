"""Children-in-care KPIs: hand-built fixtures with known answers, each across a period edge."""

from datetime import date

import pytest

from casework.models import Child
from tests.metrics import builders as b
from tests.metrics import care_builders as c
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db

MARCH_31 = date(2025, 3, 31)


def test_cla_count_and_rate_are_children_looked_after_on_the_last_day():
    b.authority(population={2024: 20_000})
    c.period(b.child(), date(2024, 5, 1))  # counted
    c.period(b.child(), date(2025, 3, 31))  # started on the last day: counted
    c.period(b.child(), date(2024, 5, 1), ended_on=MARCH_31)  # ceased on 31 March: not
    c.period(b.child(), date(2025, 4, 1))  # starts next year: not
    c.period(b.child(), date(2024, 6, 1), ls="V3")  # short breaks: not
    wrong = c.period(b.child(), date(2024, 6, 1))
    type(wrong).objects.filter(pk=wrong.pk).update(entered_in_error=True)
    moved = c.period(b.child(), date(2024, 6, 1))
    c.move(moved, date(2024, 9, 1))  # two episodes, one child
    assert figure("cla_count", "FY2024-25") == (3, 3, 3.0)
    assert figure("rate_cla_per_10k", "FY2024-25") == (3, 20_000, 1.5)
    assert figure("cla_count", "2024-Q4") == (3, 3, 3.0)  # January-March 2025
    assert figure("cla_count", "2025-04")[0] == 4


def test_rate_cin_includes_children_looked_after_once_each():
    b.authority(population={2024: 10_000})
    in_need = b.child()
    b.referral(in_need, date(2024, 6, 1))
    both = b.child()
    b.referral(both, date(2024, 6, 1))
    c.period(both, date(2024, 7, 1))
    c.period(b.child(), date(2024, 7, 1))  # looked after, no open CIN episode
    left = b.child()
    c.period(left, date(2024, 7, 1), ended_on=MARCH_31)
    assert figure("rate_cin_per_10k", "FY2024-25") == (3, 10_000, 3.0)


def test_started_and_ceased_count_periods_by_their_dates():
    b.authority()
    c.period(b.child(), date(2024, 3, 31), ended_on=date(2024, 4, 1))  # starts FY23, ends FY24
    c.period(b.child(), date(2024, 4, 1))
    c.period(b.child(), date(2025, 3, 31), ended_on=date(2025, 4, 1))
    c.period(b.child(), date(2024, 5, 1), ls="V4")  # short breaks are not counted
    assert figure("cla_started", "FY2024-25") == (2, 2, 2.0)
    assert figure("cla_started", "FY2023-24")[0] == 1
    assert figure("cla_ceased", "FY2024-25")[0] == 1
    assert figure("cla_ceased", "FY2025-26")[0] == 1


def test_three_or_more_placements_in_the_twelve_months_to_the_period_end():
    b.authority()
    three = c.period(b.child(), date(2023, 1, 1))
    c.move(three, date(2024, 4, 1))  # the first ended on 1 April 2024: still in the year
    c.move(three, date(2024, 10, 1))
    edge = c.period(b.child(), date(2023, 1, 1))
    c.move(edge, date(2024, 3, 31))  # first ended 31 March 2024: outside the year
    c.move(edge, date(2024, 10, 1))
    temp = c.period(b.child(), date(2024, 5, 1))
    c.move(temp, date(2024, 6, 1), place="T3", rne="T")  # temporary moves do not count
    c.move(temp, date(2024, 6, 15), rne="T")
    c.period(b.child(), date(2024, 5, 1))
    assert figure("cla_placements_3plus", "FY2024-25") == (1, 4, 25.0)


def test_long_term_stability_under_16s_looked_after_two_and_a_half_years():
    b.authority()
    stable = c.period(b.child(date_of_birth=date(2012, 1, 1)), date(2022, 1, 1))
    c.move(stable, date(2023, 3, 31))  # same placement 2 years on 31 March 2025: exactly
    moved = c.period(b.child(date_of_birth=date(2012, 1, 1)), date(2022, 1, 1))
    c.move(moved, date(2023, 4, 1))  # a day short of 2 years
    adopted = c.period(b.child(date_of_birth=date(2020, 1, 1)), date(2022, 9, 30))
    c.move(adopted, date(2024, 12, 1), place="A5")  # placed for adoption with the prior carer
    c.period(b.child(date_of_birth=date(2009, 3, 31)), date(2020, 1, 1))  # 16 on 31 March
    c.period(b.child(date_of_birth=date(2012, 1, 1)), date(2022, 10, 1))  # 2.5 years less a day
    assert figure("cla_long_term_stability", "FY2024-25") == (2, 3, pytest.approx(66.6667))


def test_reviews_visits_health_and_peps_in_time_by_the_date_held():
    b.authority()
    p = c.period(b.child(), date(2024, 1, 8))
    c.review(p, date(2024, 2, 5), date(2024, 2, 5))  # on the due date: in time
    c.review(p, date(2024, 5, 7), date(2024, 5, 3), number=2)  # late
    c.review(p, date(2024, 3, 31), date(2024, 4, 2))  # in time, but in the previous year
    assert figure("cla_reviews_in_time", "FY2024-25") == (0, 1, 0.0)
    assert figure("cla_reviews_in_time", "FY2023-24") == (2, 2, 100.0)
    c.visit(p, date(2024, 4, 1), date(2024, 4, 1))
    c.visit(p, date(2024, 5, 20), date(2024, 5, 13))
    c.visit(p, date(2024, 5, 21), date(2024, 5, 30), seen=False)  # not seen: not counted
    assert figure("cla_visits_in_time", "2024-Q1") == (1, 2, 50.0)
    c.health(p, "initial", date(2024, 2, 6), date(2024, 2, 5))
    c.health(p, "review", date(2025, 2, 1), date(2025, 2, 6))
    c.health(p, "dental", date(2024, 6, 1))  # not an assessment
    assert figure("cla_health_assessments_in_time", "FY2024-25") == (1, 1, 100.0)
    assert figure("cla_health_assessments_in_time", "FY2023-24") == (0, 1, 0.0)
    c.pep(p, date(2024, 4, 30), date(2024, 5, 1))
    c.pep(p, date(2024, 9, 2), date(2024, 9, 1))
    assert figure("cla_pep_in_time", "FY2024-25") == (1, 2, 50.0)


def test_dental_checks_for_children_looked_after_twelve_months():
    b.authority()
    checked = c.period(b.child(), date(2024, 3, 31))  # 12 months on 31 March 2025: in
    c.health(checked, "dental", date(2024, 4, 1))  # the first day of the 12 months
    late = c.period(b.child(), date(2023, 1, 1))
    c.health(late, "dental", date(2024, 3, 31))  # a day too early
    c.period(b.child(), date(2024, 4, 1))  # not yet 12 months: not in the cohort
    assert figure("cla_dental_checks", "FY2024-25") == (1, 2, 50.0)


def test_missing_episodes_counted_by_start_date():
    b.authority()
    p = c.period(b.child(), date(2024, 1, 1))
    c.missing(p, date(2024, 3, 31))
    c.missing(p, date(2024, 4, 1), kind="A")
    c.missing(p, date(2024, 4, 20))
    assert figure("cla_missing_episodes", "2024-04")[0] == 2
    assert figure("cla_missing_episodes", "FY2023-24")[0] == 1
    assert Child.objects.count() == 1


def test_no_child_looked_after_is_a_zero_not_a_gap():
    b.authority()
    assert figure("cla_count", "FY2024-25") == (0, 0, 0.0)
    assert figure("cla_placements_3plus", "FY2024-25") == (0, 0, None)

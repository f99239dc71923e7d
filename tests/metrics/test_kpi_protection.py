"""Section 47 enquiries, conferences and child protection plans."""

from datetime import date

import pytest

from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db


def test_s47_to_icpc_counts_enquiries_ending_in_the_period_by_outcome():
    b.authority()
    for outcome in ("icpc", "icpc", "nfa", "cin_plan"):
        b.s47(b.referral(b.child(), date(2024, 5, 1)), date(2024, 5, 1),
              ended_on=date(2024, 5, 20), outcome=outcome)  # fmt: skip
    b.s47(b.referral(b.child(), date(2024, 5, 1)), date(2024, 5, 1))  # still open
    wrong = b.s47(b.referral(b.child(), date(2024, 5, 1)), date(2024, 5, 1),
                  ended_on=date(2024, 5, 20), outcome="icpc")  # fmt: skip
    b.in_error(wrong)
    assert figure("s47_to_icpc", "2024-05") == (2, 4, 50.0)


def test_icpc_in_15_working_days_skips_easter_and_crosses_the_financial_year():
    b.authority()
    # Strategy discussion Wednesday 20 March 2024: the 15th working day is Friday
    # 12 April (Good Friday and Easter Monday excluded), in the next financial year.
    for held in (date(2024, 4, 12), date(2024, 4, 15)):
        enquiry = b.s47(b.referral(b.child(), date(2024, 3, 20)), date(2024, 3, 20),
                        ended_on=held, outcome="icpc")  # fmt: skip
        b.icpc(enquiry, held)
    assert figure("icpc_15wd", "FY2024-25") == (1, 2, 50.0)
    assert figure("icpc_15wd", "FY2023-24") == (0, 0, None)


def test_transfer_in_conferences_are_not_initial_conferences_after_an_enquiry():
    b.authority()
    ref = b.referral(b.child(), date(2024, 6, 3))
    b.icpc(None, date(2024, 6, 5), ref=ref, transfer_in=True)
    enquiry = b.s47(b.referral(b.child(), date(2024, 6, 3)), date(2024, 6, 3))
    b.plan(b.icpc(enquiry, date(2024, 6, 10)))
    assert figure("icpc_15wd", "2024-06") == (1, 1, 100.0)
    assert figure("icpc_to_plan", "2024-06") == (1, 1, 100.0)


def test_icpc_to_plan_counts_conferences_with_a_current_plan():
    b.authority()
    planned = b.icpc(b.s47(b.referral(b.child(), date(2024, 6, 3)), date(2024, 6, 3)),
                     date(2024, 6, 20))  # fmt: skip
    b.plan(planned)
    b.icpc(b.s47(b.referral(b.child(), date(2024, 6, 3)), date(2024, 6, 3)), date(2024, 6, 21),
           outcome="no_plan")  # fmt: skip
    wrong = b.icpc(b.s47(b.referral(b.child(), date(2024, 6, 3)), date(2024, 6, 3)),
                   date(2024, 6, 24))  # fmt: skip
    b.in_error(b.plan(wrong))
    assert figure("icpc_to_plan", "2024-06") == (1, 3, pytest.approx(33.3333))


def test_repeat_plans_count_any_earlier_plan_and_the_two_year_variant_from_its_end():
    b.authority()
    long_ago, recent, first_time = b.child(), b.child(), b.child()
    b.cp_plan(long_ago, date(2019, 1, 7), ended_on=date(2020, 1, 6))
    b.cp_plan(long_ago, date(2024, 5, 1))
    # Earlier plan ended 1 May 2022, exactly two years before: within 2 years.
    b.cp_plan(recent, date(2021, 5, 4), ended_on=date(2022, 5, 1))
    b.cp_plan(recent, date(2024, 5, 1))
    b.cp_plan(first_time, date(2024, 5, 2))
    assert figure("cp_repeat_plans", "2024-05") == (2, 3, pytest.approx(66.6667))
    assert figure("cp_repeat_plans_2y", "2024-05") == (1, 3, pytest.approx(33.3333))


def test_a_previous_plan_entered_in_error_does_not_make_a_repeat_plan():
    b.authority()
    child = b.child()
    b.in_error(b.cp_plan(child, date(2023, 1, 9), ended_on=date(2023, 6, 1)))
    b.cp_plan(child, date(2024, 5, 1))
    assert figure("cp_repeat_plans", "2024-05") == (0, 1, 0.0)


def test_plans_lasting_two_years_are_measured_in_calendar_months_from_a_leap_day():
    b.authority()
    # From 29 February 2024, two years is reached on 28 February 2026.
    b.cp_plan(b.child(), date(2024, 2, 29), ended_on=date(2026, 2, 28))
    b.cp_plan(b.child(), date(2024, 3, 1), ended_on=date(2026, 2, 28))
    b.cp_plan(b.child(), date(2025, 12, 1), ended_on=date(2026, 2, 27))
    assert figure("cp_ended_2y_plus", "FY2025-26") == (1, 3, pytest.approx(33.3333))
    assert figure("cp_ended_under_3m", "FY2025-26") == (1, 3, pytest.approx(33.3333))


def test_plans_ending_under_three_months_use_calendar_months():
    b.authority()
    b.cp_plan(b.child(), date(2024, 1, 31), ended_on=date(2024, 4, 29))  # < 30 April
    b.cp_plan(b.child(), date(2024, 1, 31), ended_on=date(2024, 4, 30))  # exactly 3 months
    assert figure("cp_ended_under_3m", "2024-04") == (1, 2, 50.0)


def test_open_plans_of_two_years_or_more_are_counted_at_the_period_end():
    b.authority()
    b.cp_plan(b.child(), date(2023, 3, 31))  # 2 years on 31 March 2025
    b.cp_plan(b.child(), date(2023, 4, 1))
    b.cp_plan(b.child(), date(2022, 1, 10), ended_on=date(2025, 3, 31))  # ended: not open
    b.in_error(b.cp_plan(b.child(), date(2021, 1, 4)))
    assert figure("cp_open_2y_plus", "FY2024-25") == (1, 2, 50.0)
    assert figure("cp_open_2y_plus", "2025-03") == (1, 2, 50.0)


def test_review_conferences_are_in_time_when_held_by_their_due_date():
    b.authority()
    p = b.cp_plan(b.child(), date(2024, 3, 10))
    b.review(p, due_on=date(2024, 6, 10), held_on=date(2024, 6, 10))
    b.review(b.cp_plan(b.child(), date(2024, 3, 10)), due_on=date(2024, 6, 10),
             held_on=date(2024, 6, 11))  # fmt: skip
    b.in_error(b.review(p, due_on=date(2024, 6, 10), held_on=date(2024, 6, 20)))
    assert figure("cp_reviews_in_time", "2024-06") == (1, 2, 50.0)


def test_rates_per_10000_children_for_s47s_and_children_on_a_plan():
    b.authority(population={2024: 20_000})
    for _ in range(4):
        b.cp_plan(b.child(), date(2024, 9, 2))
    b.s47(b.referral(b.child(), date(2024, 9, 3)), date(2024, 9, 3))
    # Four plans came with four enquiries (builders) plus one more: 5 per 20,000.
    assert figure("rate_s47_per_10k", "2024-09") == (5, 20_000, 2.5)
    assert figure("rate_cp_per_10k", "2024-09") == (4, 20_000, 2.0)

"""Assessment timeliness on both clocks, NFA outcomes, and who an assessment counts for."""

from datetime import date

import pytest

from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db

# Referral Wednesday 20 March 2024. Good Friday, Easter Monday and the two May bank
# holidays fall inside the window, so the 45th working day is Tuesday 28 May 2024,
# not Wednesday 22 May as weekdays alone would give.
REFERRED = date(2024, 3, 20)
DAY_45 = date(2024, 5, 28)


def test_assessments_count_bank_holidays_as_non_working_days_from_the_referral():
    b.authority()
    on_time = b.referral(b.child(), REFERRED)
    b.assessment(on_time, REFERRED, authorised_on=DAY_45)
    late = b.referral(b.child(), REFERRED)
    b.assessment(late, REFERRED, authorised_on=date(2024, 5, 29))
    assert figure("assessments_45wd_from_referral", "2024-05") == (1, 2, 50.0)


def test_the_dfe_clock_runs_from_the_assessment_start_not_the_referral():
    b.authority()
    ref = b.referral(b.child(), REFERRED)
    # Started a week after the referral: late against the referral, on time from its start.
    b.assessment(ref, date(2024, 3, 27), authorised_on=date(2024, 5, 30))
    assert figure("assessments_45wd_from_referral", "2024-05") == (0, 1, 0.0)
    assert figure("assessments_45wd_dfe", "2024-05") == (1, 1, 100.0)


def test_a_returned_then_resubmitted_assessment_counts_once_on_its_authorisation():
    b.authority()
    ref = b.referral(b.child(), date(2024, 4, 2))
    b.assessment(
        ref,
        date(2024, 4, 2),
        submitted_on=date(2024, 5, 1),
        returned_on=date(2024, 5, 2),
        times_returned=1,
        authorised_on=date(2024, 6, 4),
        outcome="cin_plan",
    )
    assert figure("assessments_45wd_from_referral", "2024-05") == (0, 0, None)
    assert figure("assessments_45wd_from_referral", "2024-06") == (1, 1, 100.0)
    assert figure("assessments_45wd_dfe", "FY2024-25") == (1, 1, 100.0)


def test_an_assessment_not_yet_authorised_or_entered_in_error_is_not_counted():
    b.authority()
    b.assessment(b.referral(b.child(), date(2024, 4, 2)), date(2024, 4, 3))
    wrong = b.assessment(
        b.referral(b.child(), date(2024, 4, 2)), date(2024, 4, 3), authorised_on=date(2024, 4, 9)
    )
    b.in_error(wrong)
    assert figure("assessments_45wd_dfe", "2024-04") == (0, 0, None)


def test_authorisations_either_side_of_31_march_fall_in_different_financial_years():
    b.authority()
    for authorised in (date(2025, 3, 31), date(2025, 4, 1)):
        ref = b.referral(b.child(), date(2025, 3, 3))
        b.assessment(ref, date(2025, 3, 3), authorised_on=authorised, outcome="nfa")
    assert figure("assessments_nfa", "FY2024-25") == (1, 1, 100.0)
    assert figure("assessments_nfa", "FY2025-26") == (1, 1, 100.0)
    assert figure("assessments_nfa", "2024-Q4") == (1, 1, 100.0)
    assert figure("assessments_nfa", "R12-2025-04") == (2, 2, 100.0)


def test_a_leap_day_referral_counts_working_days_through_29_february():
    b.authority()
    ref = b.referral(b.child(), date(2024, 2, 29))
    # 45 working days from Thursday 29 Feb 2024 is Tuesday 7 May (Easter and 6 May
    # bank holiday inside the window).
    b.assessment(ref, date(2024, 2, 29), authorised_on=date(2024, 5, 7))
    b.assessment(b.referral(b.child(), date(2024, 2, 29)), date(2024, 2, 29),
                 authorised_on=date(2024, 5, 8))  # fmt: skip
    assert figure("assessments_45wd_from_referral", "2024-05") == (1, 2, 50.0)


def test_assessments_nfa_is_the_share_of_authorised_assessments_ending_nfa():
    b.authority()
    for outcome in ("nfa", "nfa", "cin_plan", "strategy_discussion"):
        ref = b.referral(b.child(), date(2024, 7, 1))
        b.assessment(ref, date(2024, 7, 1), authorised_on=date(2024, 7, 15), outcome=outcome)
    assert figure("assessments_nfa", "2024-07") == (2, 4, 50.0)


def test_an_assessment_counts_for_its_own_worker_and_the_allocated_team():
    b.authority()
    team_a, team_b = b.team(), b.team()
    allocated, assessor = b.worker(team_a), b.worker(team_b)
    ref = b.referral(b.child(), date(2024, 7, 1))
    b.allocate(ref, allocated, date(2024, 7, 1))
    b.assessment(ref, date(2024, 7, 1), authorised_on=date(2024, 7, 10), worker=assessor)
    unassigned = b.referral(b.child(), date(2024, 7, 1))
    b.allocate(unassigned, allocated, date(2024, 7, 1))
    b.assessment(unassigned, date(2024, 7, 1), authorised_on=date(2024, 7, 11))
    assert figure("assessments_45wd_dfe", "2024-07", ("worker", assessor.pk)) == (1, 1, 100.0)
    assert (
        figure("assessments_45wd_dfe", "2024-07", ("worker", allocated.pk), recompute=False)[1] == 1
    )
    assert figure("assessments_45wd_dfe", "2024-07", ("team", team_a.pk), recompute=False)[1] == 2

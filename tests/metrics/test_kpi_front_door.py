"""Contacts and referrals: screening, conversion, NFA, re-referrals, rates."""

from datetime import date, timedelta

import pytest

from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db


def test_sibling_contacts_count_each_child_and_easter_counts_as_non_working():
    b.authority()
    siblings = [b.child(), b.child(), b.child()]
    # Received Thursday 28 March 2024; Good Friday, the weekend and Easter Monday
    # follow, so a decision on Tuesday 2 April is within 1 working day.
    b.contact(b.at(date(2024, 3, 28)), siblings, decided=b.at(date(2024, 4, 2), 9))
    # Received Wednesday 3 April, decided Friday 5 April: 2 working days, late.
    b.contact(b.at(date(2024, 4, 3)), [b.child()], decided=b.at(date(2024, 4, 5)))
    b.contact(b.at(date(2024, 3, 4)), [b.child()])  # never decided
    assert figure("contacts_screened_1wd", "2024-03") == (3, 4, 75.0)
    assert figure("contacts_screened_1wd", "2024-04") == (0, 1, 0.0)


def test_a_contact_received_late_on_31_march_london_time_falls_in_that_financial_year():
    b.authority()
    # 23:30 on 31 March 2025 in London is 22:30 UTC; 00:30 on 1 April BST is 31 March UTC.
    b.contact(b.at(date(2025, 3, 31), 23), [b.child()], decided=b.at(date(2025, 4, 1)))
    b.contact(b.at(date(2025, 4, 1), 0), [b.child()], decided=b.at(date(2025, 4, 1)))
    assert figure("contacts_screened_1wd", "FY2024-25")[1] == 1
    assert figure("contacts_screened_1wd", "FY2025-26")[1] == 1


def test_a_contact_entered_in_error_is_excluded_from_screening_and_conversion():
    b.authority()
    kept = b.contact(b.at(date(2024, 5, 1)), [b.child(), b.child()], decided=b.at(date(2024, 5, 1)))
    wrong = b.contact(b.at(date(2024, 5, 2)), [b.child()], decided=b.at(date(2024, 5, 2)))
    b.in_error(wrong)
    cc = kept.children.first()
    b.referral(cc.child, date(2024, 5, 1), contact_child=cc)
    assert figure("contacts_screened_1wd", "2024-05") == (2, 2, 100.0)
    assert figure("contact_conversion", "2024-05") == (1, 2, 50.0)


def test_a_referral_entered_in_error_does_not_convert_its_contact():
    b.authority()
    c = b.contact(b.at(date(2024, 5, 1)), [b.child()], decided=b.at(date(2024, 5, 1)))
    cc = c.children.get()
    b.in_error(b.referral(cc.child, date(2024, 5, 1), contact_child=cc))
    assert figure("contact_conversion", "2024-05") == (0, 1, 0.0)


def test_referrals_nfa_counts_referrals_marked_nfa_and_skips_those_in_error():
    b.authority()
    b.referral(b.child(), date(2024, 6, 3), nfa=True, closed_on=date(2024, 6, 3))
    b.referral(b.child(), date(2024, 6, 4))
    b.referral(b.child(), date(2024, 6, 5))
    b.in_error(b.referral(b.child(), date(2024, 6, 6), nfa=True, closed_on=date(2024, 6, 6)))
    assert figure("referrals_nfa", "2024-06") == (1, 3, pytest.approx(33.3333))


def test_a_rereferral_is_within_12_months_of_the_earlier_one_counting_leap_days():
    b.authority()
    # Earlier referral 28 Feb 2023: 12 months later is 28 Feb 2024, so 29 Feb 2024 is not
    # a re-referral.
    one = b.child()
    b.referral(one, date(2023, 2, 28), closed_on=date(2023, 3, 1))
    b.referral(one, date(2024, 2, 29))
    # Earlier referral 29 Feb 2024: 12 months later is 28 Feb 2025 (clamped): a referral on
    # that day is a re-referral, one on 1 March 2025 is not.
    two, three = b.child(), b.child()
    b.referral(two, date(2024, 2, 29), closed_on=date(2024, 3, 5))
    b.referral(two, date(2025, 2, 28))
    b.referral(three, date(2024, 2, 29), closed_on=date(2024, 3, 5))
    b.referral(three, date(2025, 3, 1))
    assert figure("rereferrals_12m", "2024-02") == (0, 3, 0.0)
    assert figure("rereferrals_12m", "2025-02") == (1, 1, 100.0)
    assert figure("rereferrals_12m", "2025-03") == (0, 1, 0.0)


def test_an_earlier_referral_entered_in_error_does_not_make_a_rereferral():
    b.authority()
    child = b.child()
    b.in_error(b.referral(child, date(2024, 1, 10), closed_on=date(2024, 1, 11)))
    b.referral(child, date(2024, 6, 10))
    assert figure("rereferrals_12m", "2024-06") == (0, 1, 0.0)


def test_referral_to_assessment_counts_referrals_with_a_current_assessment():
    b.authority()
    assessed = b.referral(b.child(), date(2024, 7, 1))
    b.assessment(assessed, date(2024, 7, 2))
    wrong = b.referral(b.child(), date(2024, 7, 3))
    b.in_error(b.assessment(wrong, date(2024, 7, 4)))
    b.referral(b.child(), date(2024, 7, 5), nfa=True, closed_on=date(2024, 7, 5))
    assert figure("referral_to_assessment", "2024-07") == (1, 3, pytest.approx(33.3333))


def test_the_referral_rate_uses_the_population_of_the_period_end_financial_year():
    b.authority(population={2023: 40_000, 2024: 50_000})
    for day in range(5):
        b.referral(b.child(), date(2025, 3, 3) + timedelta(days=day))
    # Five referrals per 50,000 children (FY2024-25) = 1.0 per 10,000.
    assert figure("rate_referrals_per_10k", "FY2024-25") == (5, 50_000, 1.0)
    assert figure("rate_referrals_per_10k", "2025-03") == (5, 50_000, 1.0)


def test_referral_kpis_attribute_to_the_allocation_current_on_the_referral_date():
    b.authority()
    team_a, team_b = b.team(), b.team()
    first, second = b.worker(team_a), b.worker(team_b)
    ref = b.referral(b.child(), date(2024, 9, 2), nfa=True, closed_on=date(2024, 9, 30))
    # Allocated two days after the referral: attributed to that first allocation.
    b.allocate(ref, first, date(2024, 9, 4), ended_on=date(2024, 9, 20))
    b.allocate(ref, second, date(2024, 9, 20))
    assert figure("referrals_nfa", "2024-09", ("worker", first.pk)) == (1, 1, 100.0)
    assert figure("referrals_nfa", "2024-09", ("team", team_a.pk), recompute=False) == (
        1,
        1,
        100.0,
    )
    assert not _exists("referrals_nfa", "2024-09", "worker", second.pk)


def _exists(kpi, period, scope_type, scope_id):
    from metrics.models import KpiSnapshot

    return KpiSnapshot.objects.filter(
        kpi=kpi, period=period, scope_type=scope_type, scope_id=scope_id
    ).exists()

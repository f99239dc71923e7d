"""Issue 23: each changed definition, with a hand-built case the old one got wrong, and
the measures the seeds quote."""

from datetime import date

import pytest

from casework.models import CoreGroup, StrategyDiscussion, WorkerRole
from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db


def test_children_coming_off_a_plan_at_the_first_review_are_counted_by_start_cohort():
    b.authority()
    # Started 31 January, first review on its statutory date 30 April, plan ended there:
    # exactly 3 calendar months, so the DfE's "under 3 months" (plans ended) misses it.
    at_review = b.cp_plan(b.child(), date(2024, 1, 31), ended_on=date(2024, 4, 30))
    b.review(at_review, due_on=date(2024, 4, 30), held_on=date(2024, 4, 30))
    # Continued at the first review, ended at the second: not counted.
    later = b.cp_plan(b.child(), date(2024, 1, 15), ended_on=date(2024, 10, 15))
    b.review(later, due_on=date(2024, 4, 15), held_on=date(2024, 4, 15))
    b.review(later, due_on=date(2024, 10, 15), held_on=date(2024, 10, 15))
    b.cp_plan(b.child(), date(2024, 1, 10))  # still on the plan
    assert figure("cp_ended_by_first_review", "2024-01") == (1, 3, pytest.approx(33.3333))
    assert figure("cp_ended_under_3m", "2024-04") == (0, 1, 0.0)


def test_review_conferences_are_measured_against_the_statutory_date_not_the_stored_one():
    b.authority()
    # ICPC Friday 8 March 2024: first review due Saturday 8 June; the stored target was
    # moved to Monday 10 June and the review held then. Version 1 called it in time.
    moved = b.cp_plan(b.child(), date(2024, 3, 8))
    b.review(moved, due_on=date(2024, 6, 10), held_on=date(2024, 6, 10))
    on_time = b.cp_plan(b.child(), date(2024, 3, 11))
    b.review(on_time, due_on=date(2024, 6, 11), held_on=date(2024, 6, 11))
    # The second review counts 6 months from the first as held (11 June -> 11 December).
    b.review(on_time, due_on=date(2024, 12, 1), held_on=date(2024, 12, 11))
    b.in_error(b.review(on_time, due_on=date(2024, 9, 2), held_on=date(2024, 9, 2)))
    assert figure("cp_reviews_in_time", "2024-06") == (1, 2, 50.0)
    assert figure("cp_reviews_in_time", "2024-12") == (1, 1, 100.0)


def test_cp_visits_count_every_gap_in_the_period_by_social_workers_on_the_plans_standard():
    b.authority(visit_standard=10)
    social_worker = b.worker()
    family_support = b.worker(role=WorkerRole.FAMILY_SUPPORT)
    # Plan from Monday 20 May 2024 (27 May is a bank holiday). Seen 3 June: 9 working
    # days after the start. Seen 27 June: 18 after 3 June, late. Version 1 looked only at
    # 30 June (seen 3 days before) and called the child visited in time.
    gap = b.cp_plan(b.child(), date(2024, 5, 20))
    b.visit(gap, date(2024, 6, 3), worker=social_worker)
    b.visit(gap, date(2024, 6, 14), worker=family_support)  # not a statutory visit
    b.visit(gap, date(2024, 6, 20), worker=social_worker, child_seen=False)
    b.visit(gap, date(2024, 6, 27), worker=social_worker)
    # A manager varied this plan's standard to 20 working days: 18 is in time.
    varied = b.cp_plan(b.child(), date(2024, 5, 20), visit_standard_working_days=20)
    b.visit(varied, date(2024, 6, 13), worker=social_worker)
    assert figure("cp_visits_in_time", "2024-06") == (2, 3, pytest.approx(66.6667))


def test_referrals_and_strategy_discussions_leading_to_a_section_47_enquiry():
    b.authority()
    enquired = b.referral(b.child(), date(2024, 7, 1))
    b.s47(enquired, date(2024, 7, 3))
    quiet = b.referral(b.child(), date(2024, 7, 2))
    StrategyDiscussion.objects.create(
        child=quiet.child, referral=quiet, held_on=date(2024, 7, 4), s47_required=False
    )
    b.in_error(b.referral(b.child(), date(2024, 7, 2)))
    assert figure("referrals_to_s47", "2024-07") == (1, 2, 50.0)
    assert figure("strategy_discussions_to_s47", "2024-07") == (1, 2, 50.0)


def test_rates_per_10000_for_initial_conferences_and_assessments():
    b.authority(population={2024: 20_000})
    for held in (date(2024, 9, 10), date(2024, 9, 11)):
        b.icpc(b.s47(b.referral(b.child(), date(2024, 9, 2)), date(2024, 9, 2)), held)
    b.icpc(None, date(2024, 9, 12), ref=b.referral(b.child(), date(2024, 9, 2)),
           transfer_in=True)  # fmt: skip
    for _ in range(3):
        ref = b.referral(b.child(), date(2024, 8, 1))
        b.assessment(ref, date(2024, 8, 1), authorised_on=date(2024, 9, 20))
    b.assessment(b.referral(b.child(), date(2024, 9, 1)), date(2024, 9, 2))  # not done
    assert figure("rate_icpc_per_10k", "2024-09") == (2, 20_000, 1.0)
    assert figure("rate_assessments_per_10k", "2024-09") == (3, 20_000, 1.5)


def test_first_core_group_within_10_working_days_across_easter():
    b.authority()
    # ICPC Wednesday 20 March 2024: Good Friday and Easter Monday fall in the window,
    # so the 10th working day is Friday 5 April.
    for held in (date(2024, 4, 5), date(2024, 4, 8)):
        p = b.cp_plan(b.child(), date(2024, 3, 20))
        CoreGroup.objects.create(plan=p, held_on=held)
    b.cp_plan(b.child(), date(2024, 3, 20))  # no core group yet
    assert figure("first_core_group_10wd", "2024-03") == (1, 3, pytest.approx(33.3333))


def test_children_on_a_plan_seen_alone_on_visits():
    b.authority()
    p = b.cp_plan(b.child(), date(2024, 5, 1))
    b.visit(p, date(2024, 6, 3), seen_alone=True)
    b.visit(p, date(2024, 6, 10))
    b.visit(p, date(2024, 6, 17), child_seen=False)
    assert figure("cp_visits_seen_alone", "2024-06") == (1, 2, 50.0)


def test_children_in_need_excluding_those_on_a_plan():
    b.authority(population={2024: 10_000})
    b.referral(b.child(), date(2024, 5, 1))
    b.referral(b.child(), date(2024, 5, 1))
    b.cp_plan(b.child(), date(2024, 5, 2))
    assert figure("rate_cin_per_10k", "2024-06") == (3, 10_000, 3.0)
    assert figure("rate_cin_excl_cp_cla_per_10k", "2024-06") == (2, 10_000, 2.0)

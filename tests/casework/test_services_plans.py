"""CP plans (reviews, core groups, visits) and CIN plans."""

from datetime import date

import pytest

from casework import errors, services
from casework.errors import DomainError
from casework.models import (
    Authority,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CoreGroup,
    Deadline,
    VisitKind,
)
from casework.transitions import status_after
from tests.casework.helpers import assert_refused_unchanged
from tests.factories.flows import ICPC_ON, cp_plan_on, icpc_held

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(referral, sw, tm):
    return cp_plan_on(referral=referral, worker_user=sw, manager=tm)


class TestStart:
    def test_it_starts_on_the_icpc_date_with_every_deadline_stored(self, plan):
        assert plan.status == ChildProtectionPlan.Status.ACTIVE
        assert plan.started_on == ICPC_ON  # Friday 28 March 2025
        assert (plan.initial_category, plan.latest_category) == ("NEG", "NEG")
        assert plan.first_core_group_due_on == date(2025, 4, 11)  # 10 working days
        assert plan.next_review_due_on == date(2025, 6, 28)  # 3 calendar months
        assert plan.next_visit_due_on == date(2025, 4, 11)  # default standard: 10 WD

    def test_the_authority_visit_standard_is_used(self, referral, sw, tm):
        Authority.objects.create(la_code="999", name="Demo", cp_visit_standard_working_days=5)
        plan = cp_plan_on(referral=referral, worker_user=sw, manager=tm)
        assert plan.next_visit_due_on == date(2025, 4, 4)

    def test_refused_from_an_icpc_without_a_plan(self, referral, sw, tm):
        icpc = icpc_held(referral=referral, worker_user=sw, manager=tm, outcome="no_plan")
        call = lambda: services.cp_plan_start(icpc=icpc, by=sw, category="NEG")  # noqa: E731
        assert_refused_unchanged(call, icpc, errors.PLAN_ICPC_NOT_PLAN)
        assert not ChildProtectionPlan.objects.exists()

    def test_it_needs_a_category(self, referral, sw, tm):
        icpc = icpc_held(referral=referral, worker_user=sw, manager=tm)
        call = lambda: services.cp_plan_start(icpc=icpc, by=sw, category="")  # noqa: E731
        assert_refused_unchanged(call, icpc, errors.PLAN_CATEGORY_REQUIRED)

    def test_a_second_plan_cannot_overlap_an_active_one(self, plan, sw):
        # Another initial conference with a plan outcome while the first plan runs.
        second = ChildProtectionConference.objects.create(
            child=plan.child, referral=plan.referral, kind="initial",
            status=status_after(ChildProtectionConference, "hold"),
            due_on=date(2025, 4, 30), held_on=date(2025, 4, 28), outcome="plan",
        )  # fmt: skip
        call = lambda: services.cp_plan_start(icpc=second, by=sw, category="PHY")  # noqa: E731
        err = assert_refused_unchanged(
            call, plan, errors.CP_PLAN_OVERLAPS.format(started_on=plan.started_on)
        )
        assert err.field == "started_on"
        assert ChildProtectionPlan.objects.count() == 1

    def test_one_plan_per_conference(self, plan, sw):
        call = lambda: services.cp_plan_start(icpc=plan.icpc, by=sw, category="PHY")  # noqa: E731
        assert_refused_unchanged(call, plan, errors.PLAN_ALREADY_STARTED)

    def test_it_ends_an_active_cin_plan_the_day_before(self, referral, sw, tm):
        cin = services.cin_plan_start(referral=referral, by=sw, started_on=date(2025, 3, 5))
        plan = cp_plan_on(referral=referral, worker_user=sw, manager=tm)
        cin.refresh_from_db()
        assert (cin.status, cin.ended_on) == (CINPlan.Status.ENDED, date(2025, 3, 27))
        assert plan.status == ChildProtectionPlan.Status.ACTIVE


class TestReview:
    def test_continuing_sets_the_next_review_six_months_on(self, plan, sw):
        review = services.review_record(
            plan=plan, by=sw, held_on=date(2025, 5, 30), outcome="continue", latest_category="MUL"
        )
        plan.refresh_from_db()
        assert review.due_on == date(2025, 6, 28)
        assert review.plan == plan
        assert plan.next_review_due_on == date(2025, 11, 30)
        assert plan.latest_category == "MUL"

    def test_ending_at_review_ends_the_plan(self, plan, sw):
        services.review_record(plan=plan, by=sw, held_on=date(2025, 5, 30), outcome="end_plan")
        plan.refresh_from_db()
        assert (plan.status, plan.ended_on) == ("ended", date(2025, 5, 30))
        assert plan.next_review_due_on is None

    def test_refused_for_an_ended_plan(self, plan, sw):
        services.review_record(plan=plan, by=sw, held_on=date(2025, 5, 30), outcome="end_plan")
        call = lambda: services.review_record(  # noqa: E731
            plan=plan, by=sw, held_on=date(2025, 6, 2), outcome="continue"
        )
        assert_refused_unchanged(call, plan)


class TestEnd:
    def test_a_manager_ends_the_plan_with_a_reason(self, plan, tm):
        plan = services.cp_plan_end(plan=plan, by=tm, ended_on=date(2025, 5, 1), reason="Moved")
        assert (plan.status, plan.end_reason) == ("ended", "Moved")

    def test_refused_when_already_ended(self, plan, tm):
        services.cp_plan_end(plan=plan, by=tm, ended_on=date(2025, 5, 1), reason="Moved")
        call = lambda: services.cp_plan_end(  # noqa: E731
            plan=plan, by=tm, ended_on=date(2025, 5, 2), reason="Again"
        )
        assert_refused_unchanged(call, plan)

    def test_a_social_worker_cannot_end_a_plan_outside_a_review(self, plan, sw):
        call = lambda: services.cp_plan_end(  # noqa: E731
            plan=plan, by=sw, ended_on=date(2025, 5, 1), reason="Moved"
        )
        assert_refused_unchanged(call, plan)


class TestCoreGroupsAndVisits:
    def test_the_first_core_group_carries_the_10_working_day_target(self, plan, sw):
        first = services.core_group_record(plan=plan, by=sw, held_on=date(2025, 4, 10))
        second = services.core_group_record(plan=plan, by=sw, held_on=date(2025, 5, 8))
        assert first.due_on == date(2025, 4, 11)
        assert second.due_on is None
        assert CoreGroup.objects.count() == 2

    @pytest.mark.parametrize(
        "today, status",
        [(date(2025, 4, 7), Deadline.DUE), (date(2025, 4, 8), Deadline.DUE_SOON),
         (date(2025, 4, 11), Deadline.DUE_SOON), (date(2025, 4, 14), Deadline.OVERDUE)],
    )  # fmt: skip
    def test_the_first_core_group_is_due_then_due_soon_then_overdue(self, plan, today, status):
        assert plan.first_core_group_due_on == date(2025, 4, 11)
        assert plan.first_core_group_status(today) == status

    @pytest.mark.parametrize(
        "held_on, status", [(date(2025, 4, 11), Deadline.MET), (date(2025, 4, 14), Deadline.MISSED)]
    )
    def test_the_first_core_group_is_met_or_missed_when_held(self, plan, sw, held_on, status):
        first = services.core_group_record(plan=plan, by=sw, held_on=held_on)
        later = services.core_group_record(plan=plan, by=sw, held_on=date(2025, 5, 8))

        assert first.deadline_status(date(2025, 6, 2)) == status
        assert plan.first_core_group_status(date(2025, 6, 2)) == status
        assert later.deadline_status(date(2025, 6, 2)) is None

    def test_a_cp_visit_moves_the_next_visit_due(self, referral, plan, sw):
        services.visit_record(
            referral=referral,
            by=sw,
            kind=VisitKind.CP,
            visited_on=date(2025, 4, 9),
            child_seen=True,
            seen_alone=True,
        )
        plan.refresh_from_db()
        assert plan.next_visit_due_on == date(2025, 4, 25)  # Easter inside the window

    def test_a_back_dated_visit_does_not_pull_the_due_date_back(self, referral, plan, sw):
        for day in (date(2025, 4, 9), date(2025, 4, 2)):
            services.visit_record(
                referral=referral, by=sw, kind="cp", visited_on=day, child_seen=True
            )
        plan.refresh_from_db()
        assert plan.next_visit_due_on == date(2025, 4, 25)

    def test_a_visit_where_the_child_was_not_seen_does_not_count(self, referral, plan, sw):
        services.visit_record(
            referral=referral, by=sw, kind="cp", visited_on=date(2025, 4, 9), child_seen=False
        )
        plan.refresh_from_db()
        assert plan.next_visit_due_on == date(2025, 4, 11)

    def test_a_cp_visit_needs_a_plan(self, referral, sw):
        with pytest.raises(DomainError) as caught:
            services.visit_record(
                referral=referral, by=sw, kind="cp", visited_on=date(2025, 4, 9), child_seen=True
            )
        assert caught.value.message == errors.VISIT_CP_NEEDS_PLAN

    def test_an_assessment_visit_records_when_the_child_was_first_seen(self, referral, sw):
        a = services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 4))
        services.visit_record(
            referral=referral,
            by=sw,
            kind="assessment",
            visited_on=date(2025, 3, 6),
            child_seen=True,
            assessment=a,
        )
        a.refresh_from_db()
        assert a.child_seen_on == date(2025, 3, 6)


class TestCINPlan:
    def test_start_and_end(self, referral, sw):
        cin = services.cin_plan_start(referral=referral, by=sw, started_on=date(2025, 3, 5))
        cin = services.cin_plan_end(plan=cin, by=sw, ended_on=date(2025, 4, 1))
        assert (cin.status, cin.ended_on) == ("ended", date(2025, 4, 1))

    def test_end_refused_when_already_ended(self, referral, sw):
        cin = services.cin_plan_start(referral=referral, by=sw, started_on=date(2025, 3, 5))
        services.cin_plan_end(plan=cin, by=sw, ended_on=date(2025, 4, 1))
        call = lambda: services.cin_plan_end(  # noqa: E731
            plan=cin, by=sw, ended_on=date(2025, 4, 2)
        )
        assert_refused_unchanged(call, cin)

    def test_refused_while_the_child_is_on_a_cp_plan(self, referral, plan, sw):
        with pytest.raises(DomainError) as caught:
            services.cin_plan_start(referral=referral, by=sw, started_on=date(2025, 4, 1))
        assert caught.value.message == errors.CIN_PLAN_DURING_CP_PLAN.format(started_on=ICPC_ON)
        assert caught.value.field == "started_on"
        assert not CINPlan.objects.exists()

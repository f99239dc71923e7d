"""Strategy discussions, s47 enquiries and initial conferences."""

from datetime import date, timedelta

import pytest

from casework import errors, services, timescales
from casework.calendar import is_working_day
from casework.errors import DomainError, DomainPermissionError
from casework.models import (
    ChildProtectionConference,
    Deadline,
    S47Outcome,
    Section47Enquiry,
    StrategyDiscussion,
)
from tests.casework.helpers import assert_refused_unchanged
from tests.factories.flows import ICPC_ON, S47_ENDED_ON, STRATEGY_ON, icpc_held, s47_in

pytestmark = pytest.mark.django_db
S = Section47Enquiry.Status


@pytest.fixture
def make(referral, sw, tm):
    def make(status, **kwargs):
        return s47_in(status, referral=referral, worker_user=sw, manager=tm, **kwargs)

    return make


class TestStrategyDiscussion:
    def test_deciding_on_an_s47_starts_it_that_day_with_the_icpc_due_15_wd_later(
        self, referral, sw
    ):
        discussion = services.strategy_discussion_record(
            referral=referral, by=sw, held_on=STRATEGY_ON, s47_required=True
        )
        s47 = discussion.s47
        assert (s47.status, s47.started_on) == (S.OPEN, STRATEGY_ON)
        assert s47.icpc_due_on == date(2025, 3, 31)

    def test_the_icpc_target_skips_easter_to_a_working_day(self, referral, sw):
        # 15 working days from Tuesday 1 April 2025 step over Good Friday and Easter Monday.
        discussion = services.strategy_discussion_record(
            referral=referral, by=sw, held_on=date(2025, 4, 1), s47_required=True
        )
        assert discussion.s47.icpc_due_on == date(2025, 4, 24)

    def test_every_icpc_target_falls_on_a_working_day(self):
        starts = [date(2024, 12, 2) + timedelta(days=n) for n in range(160)]
        targets = {timescales.icpc_due_on(d) for d in starts if is_working_day(d)}
        assert len(targets) > 90
        assert [d for d in targets if not is_working_day(d)] == []
        assert date(2024, 12, 25) not in targets and date(2025, 4, 21) not in targets

    def test_no_s47_when_none_was_decided(self, referral, sw):
        discussion = services.strategy_discussion_record(
            referral=referral, by=sw, held_on=STRATEGY_ON, s47_required=False
        )
        assert not Section47Enquiry.objects.exists()
        with pytest.raises(DomainError, match="did not decide"):
            services.s47_start(strategy_discussion=discussion, by=sw)

    def test_a_second_s47_cannot_overlap_an_open_one(self, make, referral, sw):
        make(S.OPEN)
        with pytest.raises(DomainError) as caught:
            services.strategy_discussion_record(
                referral=referral, by=sw, held_on=date(2025, 3, 12), s47_required=True
            )
        assert caught.value.message == errors.S47_OVERLAPS.format(started_on=STRATEGY_ON)
        # The whole operation rolled back: no discussion without its enquiry.
        assert StrategyDiscussion.objects.count() == 1

    def test_a_discussion_before_the_referral_is_refused(self, referral, sw):
        with pytest.raises(DomainError) as caught:
            services.strategy_discussion_record(
                referral=referral, by=sw, held_on=date(2025, 2, 28), s47_required=False
            )
        assert caught.value.field == "held_on"
        assert caught.value.message == errors.DATE_BEFORE_REFERRAL.format(
            referred_on=referral.referred_on
        )


class TestSubmitOutcome:
    def test_allowed_from_open(self, make, sw):
        s47 = services.s47_submit_outcome(
            s47=make(S.OPEN), by=sw, ended_on=S47_ENDED_ON, outcome=S47Outcome.NFA
        )
        assert (s47.status, s47.ended_on, s47.icpc_not_required) == (
            S.SUBMITTED,
            S47_ENDED_ON,
            True,
        )

    @pytest.mark.parametrize("status", [S.SUBMITTED, S.COMPLETED])
    def test_refused_from(self, make, sw, status):
        s47 = make(status)
        call = lambda: services.s47_submit_outcome(  # noqa: E731
            s47=s47, by=sw, ended_on=S47_ENDED_ON, outcome="nfa"
        )
        assert_refused_unchanged(call, s47)

    def test_it_needs_an_outcome(self, make, sw):
        s47 = make(S.OPEN)
        call = lambda: services.s47_submit_outcome(  # noqa: E731
            s47=s47, by=sw, ended_on=S47_ENDED_ON, outcome=""
        )
        assert_refused_unchanged(call, s47, errors.S47_OUTCOME_REQUIRED)


class TestReturnOutcome:
    def test_allowed_from_submitted(self, make, tm):
        s47 = services.s47_return_outcome(s47=make(S.SUBMITTED), by=tm, reason="Wrong date")
        assert (s47.status, s47.ended_on, s47.outcome) == (S.OPEN, None, "")

    @pytest.mark.parametrize("status", [S.OPEN, S.COMPLETED])
    def test_refused_from(self, make, tm, status):
        s47 = make(status)
        call = lambda: services.s47_return_outcome(s47=s47, by=tm, reason="x")  # noqa: E731
        assert_refused_unchanged(call, s47)


class TestComplete:
    def test_manager_sign_off_schedules_the_icpc_target(self, make, tm):
        s47 = services.s47_complete(s47=make(S.SUBMITTED), by=tm)
        assert (s47.status, s47.authorised_by) == (S.COMPLETED, tm)
        icpc = ChildProtectionConference.objects.get(s47=s47)
        assert (icpc.status, icpc.due_on) == ("scheduled", date(2025, 3, 31))
        assert icpc.deadline_status(date(2025, 6, 2)) == Deadline.OVERDUE

    def test_an_nfa_outcome_schedules_no_conference(self, make, tm):
        services.s47_complete(s47=make(S.SUBMITTED, outcome="nfa"), by=tm)
        assert not ChildProtectionConference.objects.exists()

    @pytest.mark.parametrize("status", [S.OPEN, S.COMPLETED])
    def test_refused_from(self, make, tm, status):
        s47 = make(status)
        assert_refused_unchanged(lambda: services.s47_complete(s47=s47, by=tm), s47)

    def test_a_social_worker_cannot_sign_off(self, make, sw2):
        s47 = make(S.SUBMITTED)
        err = assert_refused_unchanged(lambda: services.s47_complete(s47=s47, by=sw2), s47)
        assert isinstance(err, DomainPermissionError)


class TestICPC:
    def test_held_within_15_working_days_is_met(self, referral, sw, tm):
        icpc = icpc_held(referral=referral, worker_user=sw, manager=tm)
        assert (icpc.status, icpc.held_on, icpc.outcome) == ("held", ICPC_ON, "plan")
        assert icpc.deadline_status(date(2025, 6, 2)) == Deadline.MET

    def test_back_dated_after_the_target_is_missed(self, referral, sw, tm):
        icpc = icpc_held(referral=referral, worker_user=sw, manager=tm, held_on=date(2025, 4, 1))
        assert icpc.deadline_status(date(2025, 6, 2)) == Deadline.MISSED

    @pytest.mark.parametrize("status", [S.OPEN, S.SUBMITTED])
    def test_refused_until_the_s47_is_signed_off(self, make, sw, status):
        s47 = make(status)
        call = lambda: services.icpc_record(  # noqa: E731
            s47=s47, by=sw, held_on=ICPC_ON, outcome="plan"
        )
        assert_refused_unchanged(call, s47)

    def test_refused_for_an_s47_whose_outcome_was_not_icpc(self, make, sw):
        s47 = make(S.COMPLETED, outcome="cin_plan")
        call = lambda: services.icpc_record(  # noqa: E731
            s47=s47, by=sw, held_on=ICPC_ON, outcome="plan"
        )
        assert_refused_unchanged(call, s47, errors.ICPC_S47_NOT_ICPC)

    @pytest.mark.parametrize(
        "held_on", [date(2025, 3, 29), date(2025, 4, 18)], ids=["saturday", "good-friday"]
    )
    def test_it_must_be_held_on_a_working_day(self, make, sw, held_on):
        s47 = make(S.COMPLETED)
        icpc = ChildProtectionConference.objects.get(s47=s47)
        call = lambda: services.icpc_record(  # noqa: E731
            s47=s47, by=sw, held_on=held_on, outcome="plan"
        )
        err = assert_refused_unchanged(call, icpc, errors.NOT_A_WORKING_DAY.format(day=held_on))
        assert err.field == "held_on"

    def test_it_cannot_be_held_twice(self, referral, sw, tm):
        icpc = icpc_held(referral=referral, worker_user=sw, manager=tm)
        call = lambda: services.icpc_record(  # noqa: E731
            s47=icpc.s47, by=sw, held_on=ICPC_ON, outcome="plan"
        )
        assert_refused_unchanged(call, icpc, errors.ICPC_ALREADY_HELD)

    def test_it_cannot_be_before_the_s47_started(self, make, sw):
        s47 = make(S.COMPLETED)
        call = lambda: services.icpc_record(  # noqa: E731
            s47=s47, by=sw, held_on=date(2025, 3, 7), outcome="plan"
        )
        err = assert_refused_unchanged(call, s47)
        assert err.message == errors.DATE_BEFORE.format(
            other="start of the enquiry", other_on=STRATEGY_ON
        )

"""Assessment transitions: allowed and disallowed from-statuses, guards, atomicity."""

from datetime import date

import pytest

from casework import errors, services
from casework.errors import DomainError, DomainPermissionError
from casework.models import Assessment, AssessmentOutcome, Deadline
from referrals.models import Referral
from tests.factories.flows import assessment_in

pytestmark = pytest.mark.django_db
S = Assessment.Status
ALL = [S.IN_PROGRESS, S.COMPLETED, S.SUBMITTED, S.RETURNED, S.AUTHORISED]


def snapshot(obj):
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def assert_refused_unchanged(call, obj, message=None):
    before = snapshot(obj)
    with pytest.raises(DomainError) as caught:
        call()
    if message is not None:
        assert caught.value.message == message
    assert snapshot(obj) == before
    return caught.value


@pytest.fixture
def make(referral, sw, tm):
    def make(status):
        return assessment_in(status, referral=referral, worker_user=sw, manager=tm)

    return make


class TestStart:
    def test_it_sets_both_45_working_day_deadlines(self, referral, sw):
        a = services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 4))
        assert a.status == S.IN_PROGRESS
        # Easter (18 and 21 April) and 5 May fall inside the window.
        assert a.due_on == date(2025, 5, 8)
        assert a.dfe_due_on == date(2025, 5, 9)
        assert a.worker == sw.worker
        assert a.version == 1

    def test_it_refuses_a_second_assessment_while_one_is_open(self, make, referral, sw):
        make(S.IN_PROGRESS)
        with pytest.raises(DomainError) as caught:
            services.assessment_start(referral=referral, by=sw, started_on=date(2025, 4, 1))
        assert caught.value.message == errors.ASSESSMENT_OVERLAPS.format(
            started_on=date(2025, 3, 4)
        )
        assert caught.value.field == "started_on"
        assert Assessment.objects.count() == 1

    def test_a_new_assessment_may_start_after_the_last_was_authorised(self, make, referral, sw):
        make(S.AUTHORISED)  # authorised 7 March
        a = services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 10))
        assert a.status == S.IN_PROGRESS

    def test_it_refuses_an_nfa_referral(self, sw, child):
        from tests.factories.referrals import open_referral

        referral = open_referral(by=sw, child=child, nfa=True)
        with pytest.raises(DomainError, match="no assessment follows"):
            services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 4))


class TestComplete:
    @pytest.mark.parametrize("status", [S.IN_PROGRESS, S.RETURNED])
    def test_allowed_from(self, make, sw, status):
        a = make(status)
        version = a.version
        a = services.assessment_complete(
            assessment=a,
            by=sw,
            completed_on=date(2025, 3, 10),
            outcome=AssessmentOutcome.NFA,
            factors=["21"],
            primary_need="N9",
        )
        assert a.status == S.COMPLETED
        assert a.completed_on == date(2025, 3, 10)
        assert a.version == version + 1
        assert Referral.objects.get(pk=a.referral_id).primary_need == "N9"

    @pytest.mark.parametrize("status", [S.COMPLETED, S.SUBMITTED, S.AUTHORISED])
    def test_refused_from(self, make, sw, status):
        a = make(status)
        call = lambda: services.assessment_complete(  # noqa: E731
            assessment=a, by=sw, completed_on=date(2025, 3, 10), outcome="nfa", factors=["21"]
        )
        err = assert_refused_unchanged(call, a)
        assert err.message == errors.NOT_ALLOWED_FROM_STATUS.format(
            action="complete", thing="an assessment", status=a.get_status_display().lower()
        )

    @pytest.mark.parametrize(
        ("outcome", "factors", "message"),
        [
            ("nfa", ["21", "3B"], errors.ASSESSMENT_FACTOR_21_ALONE),
            ("cin_plan", ["21"], errors.ASSESSMENT_FACTOR_21_NFA),
            ("nfa", ["99Z"], errors.ASSESSMENT_FACTOR_UNKNOWN.format(codes="99Z")),
            ("nfa", [], errors.ASSESSMENT_FACTORS_REQUIRED),
            ("", ["3B"], errors.ASSESSMENT_OUTCOME_REQUIRED),
        ],
    )
    def test_it_checks_census_factor_codes(self, make, sw, outcome, factors, message):
        a = make(S.IN_PROGRESS)
        call = lambda: services.assessment_complete(  # noqa: E731
            assessment=a, by=sw, completed_on=date(2025, 3, 10), outcome=outcome, factors=factors
        )
        assert assert_refused_unchanged(call, a, message).field in {"factors", "outcome"}

    def test_a_failure_after_the_primary_need_is_written_leaves_nothing(
        self, make, sw, monkeypatch
    ):
        a = make(S.IN_PROGRESS)
        from casework.services import assessments as module

        real_save = module.save

        def failing_save(obj, **kwargs):
            if isinstance(obj, Assessment):
                raise RuntimeError("database went away")
            return real_save(obj, **kwargs)

        monkeypatch.setattr(module, "save", failing_save)
        with pytest.raises(RuntimeError):
            services.assessment_complete(
                assessment=a,
                by=sw,
                completed_on=date(2025, 3, 10),
                outcome="cin_plan",
                factors=["3B"],
                primary_need="N1",
            )
        a.refresh_from_db()
        assert a.status == S.IN_PROGRESS
        assert Referral.objects.get(pk=a.referral_id).primary_need == ""


class TestSubmit:
    def test_allowed_from_completed(self, make, sw):
        a = services.assessment_submit(
            assessment=make(S.COMPLETED), by=sw, submitted_on=date(2025, 3, 7)
        )
        assert (a.status, a.submitted_on) == (S.SUBMITTED, date(2025, 3, 7))

    @pytest.mark.parametrize("status", [S.IN_PROGRESS, S.SUBMITTED, S.RETURNED, S.AUTHORISED])
    def test_refused_from(self, make, sw, status):
        a = make(status)
        call = lambda: services.assessment_submit(  # noqa: E731
            assessment=a, by=sw, submitted_on=date(2025, 3, 10)
        )
        assert_refused_unchanged(call, a)

    def test_it_cannot_predate_completion(self, make, sw):
        a = make(S.COMPLETED)  # completed 5 March
        call = lambda: services.assessment_submit(  # noqa: E731
            assessment=a, by=sw, submitted_on=date(2025, 3, 4)
        )
        err = assert_refused_unchanged(call, a)
        assert err.message == errors.DATE_BEFORE.format(
            other="completion", other_on=date(2025, 3, 5)
        )


class TestReturn:
    def test_allowed_from_submitted_with_a_reason(self, make, tm):
        a = services.assessment_return(
            assessment=make(S.SUBMITTED), by=tm, returned_on=date(2025, 3, 7), reason="More"
        )
        assert (a.status, a.return_reason, a.times_returned) == (S.RETURNED, "More", 1)

    def test_it_needs_a_reason(self, make, tm):
        a = make(S.SUBMITTED)
        call = lambda: services.assessment_return(  # noqa: E731
            assessment=a, by=tm, returned_on=date(2025, 3, 7), reason="  "
        )
        assert assert_refused_unchanged(call, a, errors.REASON_REQUIRED).field == "reason"

    @pytest.mark.parametrize("status", [S.IN_PROGRESS, S.COMPLETED, S.RETURNED, S.AUTHORISED])
    def test_refused_from(self, make, tm, status):
        a = make(status)
        call = lambda: services.assessment_return(  # noqa: E731
            assessment=a, by=tm, returned_on=date(2025, 3, 10), reason="More"
        )
        assert_refused_unchanged(call, a)

    def test_a_social_worker_cannot_return(self, make, sw2):
        a = make(S.SUBMITTED)
        call = lambda: services.assessment_return(  # noqa: E731
            assessment=a, by=sw2, returned_on=date(2025, 3, 7), reason="More"
        )
        err = assert_refused_unchanged(call, a)
        assert isinstance(err, DomainPermissionError)

    def test_returned_and_resubmitted_counts_to_the_final_authorisation(self, make, sw, tm):
        a = services.assessment_return(
            assessment=make(S.SUBMITTED), by=tm, returned_on=date(2025, 3, 7), reason="More"
        )
        a = services.assessment_complete(
            assessment=a, by=sw, completed_on=date(2025, 3, 10), outcome="cin_plan", factors=["3B"]
        )
        a = services.assessment_submit(assessment=a, by=sw, submitted_on=date(2025, 3, 10))
        a = services.assessment_authorise(assessment=a, by=tm, authorised_on=date(2025, 3, 11))
        assert (a.status, a.times_returned, a.authorised_on) == (
            S.AUTHORISED,
            1,
            date(2025, 3, 11),
        )


class TestAuthorise:
    @pytest.mark.parametrize("manager", ["tm", "hos", "administrator"])
    def test_allowed_from_submitted_by_a_manager_role(self, make, request, manager):
        user = request.getfixturevalue(manager)
        a = services.assessment_authorise(
            assessment=make(S.SUBMITTED), by=user, authorised_on=date(2025, 3, 7)
        )
        assert (a.status, a.authorised_on, a.authorised_by) == (
            S.AUTHORISED,
            date(2025, 3, 7),
            user,
        )

    @pytest.mark.parametrize("status", [S.IN_PROGRESS, S.COMPLETED, S.RETURNED, S.AUTHORISED])
    def test_refused_from(self, make, tm, status):
        a = make(status)
        call = lambda: services.assessment_authorise(  # noqa: E731
            assessment=a, by=tm, authorised_on=date(2025, 3, 10)
        )
        assert_refused_unchanged(call, a)

    @pytest.mark.parametrize("role", ["sw2", "bs", "auditor"])
    def test_refused_for_roles_that_are_not_managers(self, make, request, role):
        a = make(S.SUBMITTED)
        user = request.getfixturevalue(role)
        call = lambda: services.assessment_authorise(  # noqa: E731
            assessment=a, by=user, authorised_on=date(2025, 3, 10)
        )
        assert isinstance(assert_refused_unchanged(call, a), DomainPermissionError)

    def test_refused_before_the_child_is_seen(self, referral, sw, tm):
        a = services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 4))
        a = services.assessment_complete(
            assessment=a, by=sw, completed_on=date(2025, 3, 5), outcome="nfa", factors=["21"]
        )
        a = services.assessment_submit(assessment=a, by=sw, submitted_on=date(2025, 3, 5))
        call = lambda: services.assessment_authorise(  # noqa: E731
            assessment=a, by=tm, authorised_on=date(2025, 3, 6)
        )
        err = assert_refused_unchanged(call, a, errors.ASSESSMENT_CHILD_NOT_SEEN)
        assert err.field == "child_seen_on"

    def test_refused_for_the_assessments_own_worker(self, referral, tm, tm2):
        # A manager holding the assessment cannot sign it off: another manager must.
        a = assessment_in(S.SUBMITTED, referral=referral, worker_user=tm, manager=tm2)
        call = lambda: services.assessment_authorise(  # noqa: E731
            assessment=a, by=tm, authorised_on=date(2025, 3, 10)
        )
        assert_refused_unchanged(call, a, errors.ASSESSMENT_AUTHORISE_OWN_WORKER)

    def test_refused_for_whoever_completed_it(self, referral, sw, tm, tm2):
        a = services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 4))
        a = services.assessment_record_child_seen(assessment=a, by=sw, seen_on=date(2025, 3, 4))
        a = services.assessment_complete(
            assessment=a, by=tm2, completed_on=date(2025, 3, 5), outcome="nfa", factors=["21"]
        )
        # Someone else touching it afterwards does not change who completed it.
        a = services.assessment_record_child_seen(assessment=a, by=tm, seen_on=date(2025, 3, 3))
        a = services.assessment_submit(assessment=a, by=sw, submitted_on=date(2025, 3, 5))
        call = lambda: services.assessment_authorise(  # noqa: E731
            assessment=a, by=tm2, authorised_on=date(2025, 3, 6)
        )
        assert_refused_unchanged(call, a, errors.ASSESSMENT_AUTHORISE_OWN)
        assert services.assessment_authorise(assessment=a, by=tm, authorised_on=date(2025, 3, 6))

    def test_it_cannot_predate_the_start(self, make, tm):
        a = make(S.SUBMITTED)
        call = lambda: services.assessment_authorise(  # noqa: E731
            assessment=a, by=tm, authorised_on=date(2025, 3, 3)
        )
        err = assert_refused_unchanged(call, a)
        assert err.field == "authorised_on"
        assert err.message == errors.DATE_BEFORE.format(
            other="assessment start date", other_on=date(2025, 3, 4)
        )

    def test_it_cannot_be_in_the_future(self, make, tm):
        a = make(S.SUBMITTED)
        call = lambda: services.assessment_authorise(  # noqa: E731
            assessment=a, by=tm, authorised_on=date(2025, 6, 3)
        )
        assert assert_refused_unchanged(call, a, errors.DATE_IN_FUTURE).field == "authorised_on"


class TestBackDatedDeadlineStatus:
    """Recording a past authorisation date gives met or missed against the stored due date."""

    def test_open_assessment_past_its_due_date_is_overdue(self, make):
        a = make(S.SUBMITTED)
        assert a.deadline_status(date(2025, 6, 2)) == Deadline.OVERDUE

    def test_back_dated_authorisation_on_day_45_is_met(self, make, tm):
        a = services.assessment_authorise(
            assessment=make(S.SUBMITTED), by=tm, authorised_on=date(2025, 5, 8)
        )
        assert a.deadline_status(date(2025, 6, 2)) == Deadline.MET

    def test_back_dated_authorisation_on_day_46_is_missed(self, make, tm):
        a = services.assessment_authorise(
            assessment=make(S.SUBMITTED), by=tm, authorised_on=date(2025, 5, 9)
        )
        assert a.deadline_status(date(2025, 6, 2)) == Deadline.MISSED

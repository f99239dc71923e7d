"""Census data-quality rules (domain.md section 2): each shows the message a user sees."""

from datetime import date

import pytest

from casework import errors, rules, services
from casework.errors import DomainError
from casework.models import Assessment
from referrals import services as front_door
from tests.factories.flows import ICPC_ON, assessment_in, cp_plan_on
from tests.factories.referrals import open_referral

pytestmark = pytest.mark.django_db


def refused(call):
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_nothing_is_dated_before_the_referral(referral, sw):
    err = refused(
        lambda: services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 2))
    )
    assert err.field == "started_on"
    assert str(err) == "The date cannot be before the referral date (03/03/2025)"


def test_nothing_is_dated_after_the_episodes_closure(referral, sw, tm):
    front_door.referral_close(referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8")
    referral.refresh_from_db()
    err = refused(lambda: rules.within_episode(date(2025, 3, 11), referral, field="visited_on"))
    assert str(err) == "The date cannot be after the episode was closed (10/03/2025)"
    err = refused(
        lambda: services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 5))
    )
    assert err.message == errors.EPISODE_CLOSED


def test_dates_in_the_future_are_refused(referral, sw):
    err = refused(
        lambda: services.assessment_start(referral=referral, by=sw, started_on=date(2025, 6, 3))
    )
    assert (err.message, err.field) == ("The date cannot be in the future", "started_on")


def test_one_open_episode_per_child(referral, sw, child):
    err = refused(lambda: open_referral(by=sw, child=child, referred_on=date(2025, 5, 1)))
    assert err.message.startswith("This child already has an open child in need episode")


def test_episodes_do_not_overlap(referral, sw, tm, child):
    front_door.referral_close(referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8")
    err = refused(lambda: open_referral(by=sw, child=child, referred_on=date(2025, 3, 10)))
    assert err.message == errors.EPISODE_OVERLAPS.format(closed_on=date(2025, 3, 10))
    assert open_referral(by=sw, child=child, referred_on=date(2025, 3, 11)).status == "open"


def test_assessment_start_is_not_after_authorisation(referral, sw, tm):
    a = assessment_in(Assessment.Status.SUBMITTED, referral=referral, worker_user=sw, manager=tm)
    err = refused(
        lambda: services.assessment_authorise(assessment=a, by=tm, authorised_on=date(2025, 3, 3))
    )
    assert str(err) == "The date cannot be before the assessment start date (04/03/2025)"


def test_assessments_for_a_child_do_not_overlap_even_back_dated(referral, sw, tm):
    assessment_in(Assessment.Status.AUTHORISED, referral=referral, worker_user=sw, manager=tm)
    # Authorised 7 March: a back-dated assessment starting on 6 March overlaps it.
    err = refused(
        lambda: services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 6))
    )
    assert err.message == errors.ASSESSMENT_OVERLAPS.format(started_on=date(2025, 3, 4))


def test_cp_plans_do_not_overlap(referral, sw, tm):
    plan = cp_plan_on(referral=referral, worker_user=sw, manager=tm)
    err = refused(
        lambda: rules.no_overlap(
            date(2025, 5, 1),
            [(plan.started_on, plan.ended_on)],
            message=errors.CP_PLAN_OVERLAPS,
            field="started_on",
        )
    )
    assert err.message == errors.CP_PLAN_OVERLAPS.format(started_on=ICPC_ON)


def test_a_cp_plan_starts_on_its_icpc_date():
    err = refused(lambda: rules.cp_plan_starts_on_icpc(date(2025, 3, 31), date(2025, 3, 28)))
    assert err.message == "A child protection plan starts on the date of its initial conference"


def test_a_cin_plan_is_never_concurrent_with_a_cp_plan(referral, sw, tm):
    cp_plan_on(referral=referral, worker_user=sw, manager=tm)
    err = refused(
        lambda: services.cin_plan_start(referral=referral, by=sw, started_on=date(2025, 4, 1))
    )
    assert err.message.startswith("This child is on a child protection plan (started 28/03/2025)")


def test_a_closed_episode_has_every_assessment_authorised(referral, sw, tm):
    assessment_in(Assessment.Status.IN_PROGRESS, referral=referral, worker_user=sw, manager=tm)
    err = refused(
        lambda: front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 4, 1), reason="RC7"
        )
    )
    assert err.message == "This episode cannot be closed yet: 1 assessment not authorised"


def test_closure_is_not_before_the_last_event(referral, sw, tm):
    assessment_in(Assessment.Status.AUTHORISED, referral=referral, worker_user=sw, manager=tm)
    err = refused(
        lambda: front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 5), reason="RC8"
        )
    )
    assert err.message == errors.EPISODE_CLOSURE_BEFORE_EVENT.format(last_on=date(2025, 3, 7))


def test_icpc_dates_are_working_days():
    err = refused(lambda: rules.working_day(date(2025, 12, 25), field="held_on"))
    assert str(err) == "25/12/2025 is not a working day"

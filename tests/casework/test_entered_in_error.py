"""Entered in error: nothing is deleted; a referral takes its episode with it."""

from datetime import date

import pytest

from casework import errors, services
from casework.errors import DomainError, DomainPermissionError
from casework.models import Assessment, ChildProtectionPlan, CoreGroup
from referrals.models import Referral
from tests.factories.flows import assessment_in, cp_plan_on
from tests.factories.referrals import open_referral

pytestmark = pytest.mark.django_db


def test_a_record_is_marked_with_who_when_and_why(referral, sw, tm):
    a = assessment_in("in_progress", referral=referral, worker_user=sw, manager=tm)
    a = services.record_mark_entered_in_error(record=a, by=tm, reason="Wrong child")
    assert (a.entered_in_error, a.entered_in_error_reason, a.entered_in_error_by) == (
        True,
        "Wrong child",
        tm,
    )
    assert a.entered_in_error_at is not None
    assert Assessment.objects.count() == 1
    assert not Assessment.objects.current().exists()


def test_a_reason_is_required(referral, tm):
    with pytest.raises(DomainError) as caught:
        services.record_mark_entered_in_error(record=referral, by=tm, reason="")
    assert caught.value.message == errors.REASON_REQUIRED
    referral.refresh_from_db()
    assert not referral.entered_in_error


def test_it_cannot_be_marked_twice(referral, tm):
    services.record_mark_entered_in_error(record=referral, by=tm, reason="Duplicate")
    with pytest.raises(DomainError, match="already marked"):
        services.record_mark_entered_in_error(record=referral, by=tm, reason="Again")


def test_a_social_worker_cannot_mark_records_in_error(referral, sw):
    with pytest.raises(DomainPermissionError):
        services.record_mark_entered_in_error(record=referral, by=sw, reason="Oops")


def test_a_referral_in_error_marks_its_whole_episode(referral, sw, tm, child):
    plan = cp_plan_on(referral=referral, worker_user=sw, manager=tm)
    services.core_group_record(plan=plan, by=sw, held_on=date(2025, 4, 10))
    services.visit_record(
        referral=referral, by=sw, kind="cp", visited_on=date(2025, 4, 9), child_seen=True
    )
    services.record_mark_entered_in_error(record=referral, by=tm, reason="Duplicate referral")
    for name in ("strategy_discussions", "s47s", "conferences", "cp_plans", "visits"):
        related = getattr(referral, name)
        assert related.exists()
        assert not related.current().exists(), name
    assert not CoreGroup.objects.current().exists()
    assert ChildProtectionPlan.objects.count() == 1  # still there, only flagged
    # The episode no longer counts: the child can be referred afresh.
    assert open_referral(by=sw, child=child, referred_on=date(2025, 5, 1)).status == "open"
    assert Referral.objects.count() == 2

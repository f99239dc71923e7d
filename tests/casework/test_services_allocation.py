"""Allocation: one current allocation per episode, managers only."""

from datetime import date

import pytest

from casework import errors, services
from casework.errors import DomainError, DomainPermissionError
from casework.models import Allocation, AllocationReason
from tests.factories.casework import WorkerFactory

pytestmark = pytest.mark.django_db


def test_reallocating_ends_the_current_allocation(referral, sw, sw2, tm):
    first = services.case_allocate(
        referral=referral, by=tm, worker=sw.worker, started_on=date(2025, 3, 3)
    )
    second = services.case_allocate(
        referral=referral,
        by=tm,
        worker=sw2.worker,
        started_on=date(2025, 4, 1),
        reason=AllocationReason.WORKLOAD,
    )
    first.refresh_from_db()
    assert first.ended_on == date(2025, 4, 1)
    assert second.ended_on is None
    assert Allocation.objects.filter(ended_on=None).get() == second


def test_a_social_worker_cannot_allocate(referral, sw):
    with pytest.raises(DomainPermissionError):
        services.case_allocate(
            referral=referral, by=sw, worker=sw.worker, started_on=date(2025, 3, 3)
        )
    assert not Allocation.objects.exists()


def test_a_worker_who_has_left_cannot_be_allocated(referral, tm, team):
    gone = WorkerFactory(team=team, left_on=date(2025, 2, 28))
    with pytest.raises(DomainError) as caught:
        services.case_allocate(referral=referral, by=tm, worker=gone, started_on=date(2025, 3, 3))
    assert caught.value.field == "worker"


def test_ending_the_allocation_leaves_the_episode_unallocated(referral, sw, tm):
    services.case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=date(2025, 3, 3))
    ended = services.allocation_end(
        referral=referral, by=tm, ended_on=date(2025, 3, 31), reason="Worker on leave"
    )
    assert ended.ended_on == date(2025, 3, 31)
    with pytest.raises(DomainError) as caught:
        services.allocation_end(referral=referral, by=tm, ended_on=date(2025, 4, 1), reason="x")
    assert caught.value.message == errors.ALLOCATION_NONE_CURRENT


def test_the_allocated_worker_holds_new_assessments(referral, sw2, tm, sw):
    services.case_allocate(referral=referral, by=tm, worker=sw2.worker, started_on=date(2025, 3, 3))
    a = services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 4))
    assert a.worker == sw2.worker

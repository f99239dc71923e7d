"""Allocation: one current allocation per episode, managers only."""

from datetime import date

import pytest

from casework import errors, services
from casework.errors import DomainError, DomainPermissionError
from casework.models import Allocation, AllocationReason, Authority
from tests.factories.casework import ChildFactory, WorkerFactory
from tests.factories.referrals import open_referral

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


def _newly_qualified(team, limit):
    return WorkerFactory(team=team, newly_qualified=True, protected_caseload_limit=limit)


def _episodes(sw, n):
    return [open_referral(by=sw, child=ChildFactory()) for _ in range(n)]


def test_a_newly_qualified_worker_is_not_allocated_beyond_their_protected_limit(sw, tm, team):
    nq = _newly_qualified(team, 2)
    first, second, third = _episodes(sw, 3)
    for referral in (first, second):
        services.case_allocate(referral=referral, by=tm, worker=nq, started_on=date(2025, 6, 2))
    with pytest.raises(DomainError) as caught:
        services.case_allocate(referral=third, by=tm, worker=nq, started_on=date(2025, 6, 2))
    assert caught.value.field == "worker"
    assert caught.value.message == errors.ALLOCATION_OVER_PROTECTED_LIMIT.format(
        worker=nq, children=2, limit=2
    )
    assert not Allocation.objects.filter(referral=third).exists()


def test_the_protected_limit_counts_open_allocations_only(sw, tm, team):
    nq = _newly_qualified(team, 1)
    first, second = _episodes(sw, 2)
    services.case_allocate(referral=first, by=tm, worker=nq, started_on=date(2025, 6, 2))
    services.allocation_end(referral=first, by=tm, ended_on=date(2025, 6, 2), reason="Moved")
    allocation = services.case_allocate(
        referral=second, by=tm, worker=nq, started_on=date(2025, 6, 2)
    )
    assert allocation.worker == nq


def test_reallocating_within_a_full_protected_caseload_adds_no_child(sw, tm, team):
    nq = _newly_qualified(team, 1)
    (referral,) = _episodes(sw, 1)
    services.case_allocate(referral=referral, by=tm, worker=nq, started_on=date(2025, 6, 2))
    again = services.case_allocate(
        referral=referral,
        by=tm,
        worker=nq,
        started_on=date(2025, 6, 2),
        reason=AllocationReason.OTHER,
    )
    assert Allocation.objects.filter(worker=nq, ended_on=None).get() == again


def test_an_experienced_worker_over_the_threshold_is_still_allocated(sw, tm, team):
    worker = WorkerFactory(team=team)
    (referral,) = _episodes(sw, 1)
    Authority.objects.create(la_code="998", name="Tiny", caseload_threshold=0)
    allocation = services.case_allocate(
        referral=referral, by=tm, worker=worker, started_on=date(2025, 6, 2)
    )
    assert allocation.worker == worker

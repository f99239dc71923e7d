"""Allocation of an episode to a worker and team: the rows caseloads are counted from.

An episode has at most one current allocation; allocating to someone new ends the
current one on the new start date (the hand-over day counts for the new worker).

A newly qualified worker (ASYE) has a protected caseload (seed 000, 6.1.3): allocating
them a child beyond ``Worker.protected_caseload_limit`` is refused. There is no override;
a manager who needs one raises the worker's limit first. The authority's caseload
threshold only flags a caseload on the board, it does not refuse.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from casework import errors, rules
from casework.errors import ConflictError, DomainError
from casework.models import Allocation, AllocationReason, Team, Worker
from casework.predicates import open_allocations
from casework.selectors.caseload import worker_caseload
from casework.services.common import (
    ExpectedVersion,
    actor,
    lock,
    lock_at_version,
    require_reason,
    save,
)
from casework.services.permissions import require
from casework.services.protection import open_episode
from referrals.models import Referral


@transaction.atomic
def case_allocate(
    *,
    referral: Referral,
    by,
    worker: Worker,
    started_on: date,
    reason: str = AllocationReason.NEW,
    team: Team | None = None,
    court_work: bool = False,
    expected_allocation: tuple[int | None, int | None] | None = None,
) -> Allocation:
    """Allocate the open episode to ``worker`` from ``started_on`` (managers only).

    ``expected_allocation`` is the current allocation the manager saw, as (id, version),
    or (None, None) for an episode they saw unallocated: if it was allocated, reallocated
    or ended since, the allocation is refused as a conflict. None checks nothing.
    """
    require(by, "case_allocate")
    # The episode row is locked first, so two managers allocating it at once serialise
    # and the second sees the first's allocation.
    referral = open_episode(referral)
    if expected_allocation is not None:
        _unchanged_since_seen(referral, *expected_allocation)
    if reason not in AllocationReason.values:
        raise DomainError(errors.CHILD_BAD_CODE.format(value=reason, label="reason"), "reason")
    rules.within_episode(started_on, referral, field="started_on")
    _may_allocate_to(by, worker, team)
    if not worker.is_active_on(started_on):
        raise DomainError(
            errors.ALLOCATION_WORKER_INACTIVE.format(worker=worker, day=started_on), "worker"
        )
    current = list(open_allocations().select_for_update().filter(referral=referral))
    if not any(previous.worker_id == worker.pk for previous in current):
        _within_protected_caseload(worker)
    for previous in current:
        rules.not_before(
            started_on, previous.started_on, field="started_on", other="current allocation"
        )
        previous.ended_on = started_on
        previous.end_reason = AllocationReason(reason).label
        save(previous, by=by, why=f"Reallocated by {actor(by)}")
    allocation = Allocation(
        child_id=referral.child_id,
        referral=referral,
        worker=worker,
        team=team or worker.team,
        started_on=started_on,
        reason=reason,
        court_work=court_work,
    )
    return save(allocation, by=by, why=f"Allocated to {worker} by {actor(by)}")


def _unchanged_since_seen(referral: Referral, allocation_pk: int | None, version) -> None:
    now = open_allocations().filter(referral=referral).values_list("pk", flat=True).first()
    if now is None and allocation_pk is None:
        return
    if now != allocation_pk:
        raise ConflictError(errors.CONFLICT, field="version")
    # Versions start at 1: a form that lost its version is stale, not unchecked.
    lock_at_version(Allocation.objects.filter(referral=referral), version or 0, pk=allocation_pk)


def _may_allocate_to(by, worker: Worker, team: Team | None) -> None:
    """The allocation page's candidates, for every caller (page and API): a case-holding
    worker, in their own team, which is one of the manager's teams (issue 16, finding 8).
    Those who see everything may allocate in any team."""
    from accounts.permissions import teams_of

    if not worker.is_case_holding:
        raise DomainError(errors.ALLOCATION_NOT_CASE_HOLDING.format(worker=worker), "worker")
    if team is not None and team.pk != worker.team_id:
        raise DomainError(
            errors.ALLOCATION_OTHER_TEAM.format(worker=worker, team=worker.team), "team"
        )
    if not by.sees_everything and not teams_of(by).filter(pk=worker.team_id).exists():
        raise DomainError(errors.ALLOCATION_NOT_YOUR_TEAM.format(worker=worker), "worker")


def _within_protected_caseload(worker: Worker) -> None:
    # Locking the worker serialises two managers allocating to them at once, so both
    # cannot take the last protected place.
    worker = lock(worker)
    if worker.caseload_limit is None:
        return
    load = worker_caseload(worker)
    if load.at_limit:
        raise DomainError(
            errors.ALLOCATION_OVER_PROTECTED_LIMIT.format(
                worker=worker, children=load.children, limit=load.limit
            ),
            field="worker",
        )


@transaction.atomic
def allocation_end(
    *,
    referral: Referral,
    by,
    ended_on: date,
    reason: str,
    expected_version: ExpectedVersion = None,
) -> Allocation:
    """End the current allocation, leaving the episode unallocated (it shows as such);
    ``expected_version`` is the current allocation's, as the caller saw it."""
    require(by, "allocation_end")
    referral = lock(referral)
    reason = require_reason(reason)
    allocation = open_allocations().select_for_update().filter(referral=referral).first()
    if allocation is None:
        raise DomainError(errors.ALLOCATION_NONE_CURRENT, field="referral")
    allocation = lock_at_version(allocation, expected_version)
    rules.within_episode(ended_on, referral, field="ended_on")
    rules.not_before(ended_on, allocation.started_on, field="ended_on", other="allocation start")
    allocation.ended_on, allocation.end_reason = ended_on, reason
    return save(allocation, by=by, why=f"Allocation ended by {actor(by)}: {reason}")

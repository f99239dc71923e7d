"""Case supervision (on the child's file) and workers' professional supervision (A3).

The next supervision is due by the authority's standard (``WorkforceStandard``): every
4 weeks by default, every 2 weeks for a newly qualified worker in the ASYE.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from casework.errors import DomainError
from casework.models import Child, Worker
from casework.predicates import open_allocations
from casework.selectors import worker_for
from workforce import errors
from workforce.models import CaseSupervision, WorkerSupervision, WorkforceStandard
from workforce.permissions import can_supervise
from workforce.services import not_future, record, refuse


def standard() -> WorkforceStandard:
    return WorkforceStandard.objects.order_by("pk").first() or WorkforceStandard()


def _supervisor(by) -> Worker:
    supervisor = worker_for(by)
    if supervisor is None:
        refuse(errors.NO_WORKER_RECORD)
    return supervisor


@transaction.atomic
def case_supervision_record(*, child: Child, held_on: date, decisions: str, by) -> CaseSupervision:
    """Supervision of the child's case with their allocated worker, by that worker's
    manager; the next is due ``case_supervision_days`` later."""
    not_future(held_on, "held_on")
    allocation = (
        open_allocations()
        .filter(child=child)
        .select_related("worker")
        .order_by("-started_on", "-pk")
        .first()
    )
    if allocation is None:
        raise DomainError(errors.NOT_ALLOCATED)
    supervisor = _supervisor(by)
    if not can_supervise(by, allocation.worker):
        refuse(errors.NOT_SUPERVISOR)
    days = standard().case_supervision_days
    row = CaseSupervision(child=child, worker=allocation.worker, supervisor=supervisor,
                          held_on=held_on, decisions=decisions.strip(),
                          next_due_on=held_on + timedelta(days=days), recorded_by=by)  # fmt: skip
    return record(row, by=by, why="Case supervision", day=held_on)


@transaction.atomic
def worker_supervision_record(
    *, worker: Worker, held_on: date, notes: str, by
) -> WorkerSupervision:
    not_future(held_on, "held_on")
    supervisor = _supervisor(by)
    if not can_supervise(by, worker) or supervisor.pk == worker.pk:
        refuse(errors.NOT_SUPERVISOR)
    rules = standard()
    days = (
        rules.nq_worker_supervision_days
        if worker.newly_qualified
        else rules.worker_supervision_days
    )
    due = held_on + timedelta(days=days)
    row = WorkerSupervision(worker=worker, supervisor=supervisor, held_on=held_on,
                            notes=notes.strip(), next_due_on=due)  # fmt: skip
    return record(row, by=by, why="Supervision", day=held_on)

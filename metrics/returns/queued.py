"""The life of a piece of queued work (``models.QueuedWork``), shared by the census check
runs and the return exports: give up one whose worker died, claim it once, hand it back on
a transient error, finish it."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from metrics.returns.models import QueuedWork

Status = QueuedWork.Status
# Work still "running" after this long lost its worker (tasks are acked late, so a crash
# redelivers them): a new request replaces it, and the page says it did not finish.
STALE_AFTER = timedelta(hours=2)


def give_up_stale(rows: QuerySet, error: str) -> None:
    """Fail work no worker finished: running past the limit, or still queued past it (the
    task was lost: the broker was down when it was sent). Either would otherwise stand as
    the one unfinished job of its return and answer every new request for ever."""
    cutoff = timezone.now() - STALE_AFTER
    rows.filter(
        Q(status=Status.RUNNING, started_at__lt=cutoff)
        | Q(status=Status.QUEUED, requested_at__lt=cutoff)
    ).update(status=Status.FAILED, error=error, finished_at=timezone.now())


def claim(model: type[QueuedWork], pk: int) -> tuple[QueuedWork, bool]:
    """The row, and whether this task claimed it (a redelivered task finds it claimed or
    finished, and must do nothing)."""
    claimed = model.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    return model.objects.get(pk=pk), bool(claimed)


def unclaim(model: type[QueuedWork], pk: int) -> None:
    """Back to the queue: the task retries after a transient database error."""
    model.objects.filter(pk=pk).update(status=Status.QUEUED, started_at=None)


def finish(row: QueuedWork, **fields) -> QueuedWork:
    for name, value in fields.items():
        setattr(row, name, value)
    row.finished_at = timezone.now()
    row.save()
    return row

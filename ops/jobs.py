"""Recording and retrying failed jobs (the dead-letter queue, kept in the database)."""

import json

from celery.signals import task_failure
from celery.utils import uuid
from django.db import transaction
from django.utils import timezone

from casework.services.common import lock
from ops.models import FailedJob


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except TypeError:
        return repr(value)


@task_failure.connect
def record_failed_job(
    sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra
):
    """Called in the worker once a task has failed for good (retries are not failures)."""
    FailedJob.objects.update_or_create(
        task_id=task_id,
        defaults={
            "task_name": getattr(sender, "name", str(sender)),
            "args": _jsonable(list(args or [])),
            "kwargs": _jsonable(dict(kwargs or {})),
            "exception": f"{exception.__class__.__name__}: {exception}"[:2000],
            "traceback": str(einfo or "")[:20000],
        },
    )


@transaction.atomic
def failed_job_retry(*, job: FailedJob, by) -> FailedJob:
    from config.celery import app

    job = lock(job)
    if job.resolved_at is not None:
        # Already retried or resolved (two administrators on the same stale list): the
        # task is not sent twice.
        return job
    # The new task id is fixed now and the task sent only once the record of the retry has
    # committed: a rolled-back retry sends nothing, and a fast worker that fails again
    # finds this row already marked as retried rather than racing our update.
    task_id = uuid()
    job.retried_as = task_id
    job.resolved_at = timezone.now()
    job.resolved_by = by
    job.save(update_fields=["retried_as", "resolved_at", "resolved_by"])
    name, args, kwargs = job.task_name, job.args, job.kwargs
    transaction.on_commit(lambda: app.send_task(name, args=args, kwargs=kwargs, task_id=task_id))
    return job


@transaction.atomic
def failed_job_resolve(*, job: FailedJob, by) -> FailedJob:
    job = lock(job)
    if job.resolved_at is not None:
        return job  # the first resolution (or retry) stands
    job.resolved_at = timezone.now()
    job.resolved_by = by
    job.save(update_fields=["resolved_at", "resolved_by"])
    return job

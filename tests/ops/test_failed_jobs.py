import contextlib
from unittest import mock

import pytest
from django.db import transaction

from config.celery import app
from ops.jobs import failed_job_resolve, failed_job_retry
from ops.models import FailedJob

pytestmark = pytest.mark.django_db


@app.task(name="tests.ops.always_fails")
def always_fails(x):
    raise ValueError(f"bad input {x}")


def test_a_task_that_fails_for_good_lands_in_the_dead_letter_table():
    result = always_fails.apply(args=[7], throw=False)
    assert result.failed()
    job = FailedJob.objects.get(task_id=result.id)
    assert job.task_name == "tests.ops.always_fails"
    assert job.args == [7]
    assert job.exception == "ValueError: bad input 7"
    assert "ValueError" in job.traceback


def test_resolving_a_failed_job_records_who(admin_user):
    result = always_fails.apply(args=[1], throw=False)
    job = failed_job_resolve(job=FailedJob.objects.get(task_id=result.id), by=admin_user)
    assert job.resolved_by == admin_user
    assert job.resolved_at is not None


def test_the_dead_letter_list_is_an_admin_page(admin_client):
    always_fails.apply(args=[2], throw=False)
    response = admin_client.get("/admin/ops/failedjob/")
    assert response.status_code == 200
    assert b"tests.ops.always_fails" in response.content


def test_the_retry_action_sends_the_task_once_the_retry_is_committed(
    admin_client, django_capture_on_commit_callbacks
):
    failed = always_fails.apply(args=[3], throw=False)
    job = FailedJob.objects.get(task_id=failed.id)
    with (
        mock.patch.object(app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = admin_client.post(
            "/admin/ops/failedjob/", {"action": "retry", "_selected_action": [job.pk]}
        )
        assert response.status_code == 302
        send_task.assert_not_called()  # not before the transaction commits
    assert len(callbacks) == 1

    job.refresh_from_db()
    send_task.assert_called_once_with(
        "tests.ops.always_fails", args=[3], kwargs={}, task_id=job.retried_as
    )
    assert job.retried_as and job.resolved_at is not None
    assert job.resolved_by.username == "admin"


def test_a_retry_rolled_back_sends_nothing(admin_user, django_capture_on_commit_callbacks):
    failed = always_fails.apply(args=[4], throw=False)
    job = FailedJob.objects.get(task_id=failed.id)
    with (
        mock.patch.object(app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(_Rollback),
        transaction.atomic(),
    ):
        failed_job_retry(job=job, by=admin_user)
        raise _Rollback
    send_task.assert_not_called()
    job.refresh_from_db()
    assert job.resolved_at is None and job.retried_as == ""


def test_a_job_retried_from_a_stale_list_is_not_sent_twice(
    admin_user, django_capture_on_commit_callbacks
):
    failed = always_fails.apply(args=[5], throw=False)
    stale = FailedJob.objects.get(task_id=failed.id)  # both administrators' lists
    with (
        mock.patch.object(app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = failed_job_retry(job=stale, by=admin_user)
        again = failed_job_retry(job=stale, by=admin_user)
        failed_job_resolve(job=stale, by=admin_user)
    send_task.assert_called_once()
    assert again.retried_as == first.retried_as
    stale.refresh_from_db()
    assert stale.retried_as == first.retried_as and stale.resolved_at == first.resolved_at


class _Rollback(Exception):
    pass

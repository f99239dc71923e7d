import pytest

from config.celery import app
from ops.jobs import failed_job_resolve
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

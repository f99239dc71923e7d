"""Return exports are rows (``ReturnExportJob``): one unfinished job per return, stuck
jobs given up, a redelivered task does nothing, a failure is kept for the page."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from metrics.returns import export_jobs
from metrics.returns.models import ReturnExportJob

pytestmark = pytest.mark.django_db
Status = ReturnExportJob.Status


def test_asking_again_while_an_export_is_queued_returns_that_job(ada):
    first = export_jobs.export_job_create(year=2025, by=ada)  # queued: nothing commits here
    again = export_jobs.export_job_create(year=2025, by=ada)
    other_year = export_jobs.export_job_create(year=2024, by=ada)
    assert again.pk == first.pk != other_year.pk
    assert ReturnExportJob.objects.filter(status=Status.QUEUED).count() == 2


def test_the_database_refuses_a_second_unfinished_job_for_one_return(ada):
    first = export_jobs.export_job_create(year=2025, by=ada)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnExportJob.objects.create(kind=first.kind, year=2025, as_of=first.as_of)


def test_a_job_stuck_running_is_given_up_and_a_new_request_starts_afresh(ada, client):
    stuck = export_jobs.export_job_create(year=2025, by=ada)
    ReturnExportJob.objects.filter(pk=stuck.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - timedelta(hours=3)
    )
    fresh = export_jobs.export_job_create(year=2025, by=ada)
    stuck.refresh_from_db()
    assert fresh.pk != stuck.pk and fresh.status == Status.QUEUED
    assert stuck.status == Status.FAILED and stuck.error == export_jobs.DID_NOT_FINISH
    assert export_jobs.DID_NOT_FINISH in client.get(reverse("returns:home")).content.decode()


def test_a_job_whose_task_was_lost_while_queued_is_given_up_too(ada):
    """Fault: a job whose task never reached a worker (the broker was down) stayed queued,
    the return's one unfinished job, and every later request got it back."""
    recent = export_jobs.export_job_create(year=2025, by=ada)
    ReturnExportJob.objects.filter(pk=recent.pk).update(
        requested_at=timezone.now() - timedelta(minutes=10)
    )
    assert export_jobs.export_job_create(year=2025, by=ada).pk == recent.pk  # still waiting
    ReturnExportJob.objects.filter(pk=recent.pk).update(
        requested_at=timezone.now() - timedelta(hours=3)
    )
    fresh = export_jobs.export_job_create(year=2025, by=ada)
    recent.refresh_from_db()
    assert fresh.pk != recent.pk and fresh.status == Status.QUEUED
    assert recent.status == Status.FAILED and recent.error == export_jobs.DID_NOT_FINISH


def test_a_failed_export_keeps_its_reason_and_offers_no_file(ada, client):
    job = export_jobs.export_job_create(year=2025, by=ada)  # no authority is set up
    with pytest.raises(Exception, match="No authority"):
        export_jobs.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and "No authority" in job.error and job.finished_at
    assert client.get(reverse("returns:download", args=[job.pk])).status_code == 404


def test_a_redelivered_task_does_not_redo_a_finished_export(ada, small_authority):
    job = export_jobs.export_job_create(year=2025, by=ada)
    done = export_jobs.export_job_run(job_id=job.pk)
    again = export_jobs.export_job_run(job_id=job.pk)
    assert done.status == again.status == Status.DONE
    assert again.finished_at == done.finished_at and again.file == done.file

"""Celery entry points for the statutory returns: load by id, call the service."""

from celery import shared_task

from config.celery import TRANSIENT_DB_RETRY
from metrics.returns.check_runs import census_check_execute
from metrics.returns.export_jobs import annex_a_job_run, export_job_run


@shared_task(name="metrics.returns.tasks.run_census_export", **TRANSIENT_DB_RETRY)
def run_census_export(job_id: int) -> str:
    return export_job_run(job_id=job_id).status


@shared_task(name="metrics.returns.tasks.run_annex_a_export", **TRANSIENT_DB_RETRY)
def run_annex_a_export(job_id: int) -> str:
    return annex_a_job_run(job_id=job_id).status


@shared_task(name="metrics.returns.tasks.run_census_checks", **TRANSIENT_DB_RETRY)
def run_census_checks(run_id: int) -> str:
    return census_check_execute(run_id=run_id).status

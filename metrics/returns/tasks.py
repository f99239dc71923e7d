"""Celery entry points for the statutory returns: load by id, call the service."""

from celery import shared_task

from metrics.returns.service import export_job_run


@shared_task(name="metrics.returns.tasks.run_census_export", acks_late=True)
def run_census_export(job_id: str) -> str:
    return export_job_run(job_id=job_id).status

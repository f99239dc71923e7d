"""Background exports of the statutory returns (the returns page's "export" buttons).

``export_job_create`` / ``annex_a_job_create`` queue a job (one per return at a time:
asking again while one is queued or running returns that one); the Celery tasks call
``export_job_run`` / ``annex_a_job_run``, which claim the job, write the file beside the
others and keep the result on the row. Shaped like the checks' runs (``check_runs``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date

from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from metrics.returns.annex_a_xlsx import annex_a_workbook
from metrics.returns.dfe_validator import validate_file
from metrics.returns.models import ReturnExportJob
from metrics.returns.queued import claim, finish, give_up_stale, unclaim
from metrics.returns.service import census_export, returns_dir

Kind, Status = ReturnExportJob.Kind, ReturnExportJob.Status
DID_NOT_FINISH = "The export did not finish (the background worker stopped): start it again."
SHOWN = 50  # the newest jobs on the page


def recent_jobs() -> list[ReturnExportJob]:
    """The returns page's list, newest first (one query, whatever the history)."""
    give_up_stale(ReturnExportJob.objects.all(), DID_NOT_FINISH)
    return list(ReturnExportJob.objects.select_related("requested_by")[:SHOWN])


def export_job_create(*, year: int, by) -> ReturnExportJob:
    """Queue the CIN census export for the year ending 31 March ``year``."""
    from metrics.returns.tasks import run_census_export

    return _request(Kind.CIN_CENSUS, year, date(year, 3, 31), by, run_census_export)


def annex_a_job_create(*, as_of: date, by) -> ReturnExportJob:
    """Queue the Annex A workbook as of ``as_of``."""
    from metrics.returns.tasks import run_annex_a_export

    return _request(Kind.ANNEX_A, as_of.year, as_of, by, run_annex_a_export)


def _request(kind: str, year: int, as_of: date, by, task) -> ReturnExportJob:
    give_up_stale(ReturnExportJob.objects.all(), DID_NOT_FINISH)
    found = ReturnExportJob.objects.filter(
        kind=kind, as_of=as_of, status__in=ReturnExportJob.UNFINISHED
    )
    if job := found.first():
        return job
    try:
        with transaction.atomic():
            job = ReturnExportJob.objects.create(kind=kind, year=year, as_of=as_of, requested_by=by)
    except IntegrityError:  # asked at the same moment by someone else: theirs stands
        return found.get()
    # The worker must find the row: queue once the request's transaction has committed.
    transaction.on_commit(lambda: task.delay(job.pk))
    return job


def export_job_run(*, job_id: int) -> ReturnExportJob:
    return _run(job_id, _census_work)


def annex_a_job_run(*, job_id: int) -> ReturnExportJob:
    return _run(job_id, _annex_a_work)


def _census_work(job: ReturnExportJob) -> None:
    name = f"cin-census-{job.year}-{job.pk}.xml"
    result = census_export(year=job.year, out=returns_dir() / name)
    job.file, job.children, job.schema_errors = name, result.children, result.schema_errors
    report = validate_file(returns_dir() / name, year=job.year)
    job.check_findings, job.check_queries = len(report.errors), len(report.queries)
    job.ruleset, job.findings = report.ruleset, [asdict(f) for f in report.findings]


def _annex_a_work(job: ReturnExportJob) -> None:
    name = f"annex-a-{job.as_of:%Y-%m-%d}-{job.pk}.xlsx"
    workbook, counts = annex_a_workbook(job.as_of)
    tmp = returns_dir() / f"{name}.part"
    workbook.save(tmp)
    tmp.replace(returns_dir() / name)  # never offered half-written
    job.file, job.children = name, sum(counts.values())


def _run(job_id: int, work: Callable[[ReturnExportJob], None]) -> ReturnExportJob:
    """Claim a queued job and do it. A redelivered task finds it claimed or finished and
    does nothing; a transient database error hands it back to the queue for the retry."""
    job, claimed = claim(ReturnExportJob, job_id)
    if not claimed:
        return job
    try:
        work(job)
    except (OperationalError, InterfaceError):
        unclaim(ReturnExportJob, job_id)
        raise
    except Exception as exc:  # recorded for the page; the task still fails loudly
        finish(job, status=Status.FAILED, error=str(exc))
        raise
    return finish(job, status=Status.DONE)

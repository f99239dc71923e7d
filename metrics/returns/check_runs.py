"""Background runs of the CIN census pre-submission checks (the checks page's "check now").

``census_check_request`` queues a run (one per year at a time: asking again while one is
queued or running returns that one); the Celery task ``run_census_checks`` calls
``census_check_execute``, which claims the run, runs the DfE validator on the return as it
would be exported now (``service.census_validate``) and keeps the findings on the row.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from metrics.returns.dfe_validator import ValidatorFinding, ValidatorReport, ValidatorUnavailable
from metrics.returns.models import CensusCheckRun
from metrics.returns.queued import claim, finish, give_up_stale, unclaim
from metrics.returns.service import (
    CensusValidation,
    ReturnError,
    census_validate,
    census_validation_from_export,
)

Status = CensusCheckRun.Status
DID_NOT_FINISH = "The checks did not finish (the background worker stopped): run them again."


def latest_run(year: int) -> CensusCheckRun | None:
    return CensusCheckRun.objects.filter(year=year).first()


def census_check_request(*, year: int, by) -> CensusCheckRun:
    """Queue a run of the year's checks, or return the one already queued or running."""
    give_up_stale(CensusCheckRun.objects.filter(year=year), DID_NOT_FINISH)
    found = CensusCheckRun.objects.filter(year=year, status__in=CensusCheckRun.UNFINISHED)
    if run := found.first():
        return run
    try:
        with transaction.atomic():
            run = CensusCheckRun.objects.create(year=year, requested_by=by)
    except IntegrityError:  # requested at the same moment by someone else: theirs stands
        return found.get()
    from metrics.returns.tasks import run_census_checks

    transaction.on_commit(lambda: run_census_checks.delay(run.pk))
    return run


def census_check_execute(*, run_id: int) -> CensusCheckRun:
    """Run the checks for a queued run. A redelivered task finds it claimed or finished and
    does nothing."""
    run, claimed = claim(CensusCheckRun, run_id)
    if not claimed:
        return run
    try:
        result = census_validate(year=run.year)
    except (ReturnError, ValidatorUnavailable) as exc:  # the page says why; no retry helps
        return finish(run, status=Status.FAILED, error=str(exc))
    except (OperationalError, InterfaceError):  # transient: the task retries, so unclaim
        unclaim(CensusCheckRun, run_id)
        raise
    except Exception as exc:
        finish(run, status=Status.FAILED, error=f"The checks failed: {exc}")
        raise
    report = result.report
    return finish(
        run,
        status=Status.DONE,
        ruleset=report.ruleset,
        rules_run=report.rules_run,
        rules_not_run=report.rules_not_run,
        children=result.children,
        findings=[asdict(f) for f in report.findings],
        structure_errors=result.structure_errors,
    )


def validation_from_run(run: CensusCheckRun) -> CensusValidation:
    report = ValidatorReport(year=run.year, ruleset=run.ruleset, rules_run=run.rules_run)
    report.rules_not_run = list(run.rules_not_run)
    report.findings = [ValidatorFinding(**f) for f in run.findings]
    return CensusValidation(
        year=run.year,
        children=run.children,
        report=report,
        structure_errors=list(run.structure_errors),
        checked_at=run.finished_at.isoformat(),
    )


def latest_census_validation(year: int) -> CensusValidation | None:
    """The most recent findings for the year: a finished check run or the checks the latest
    finished export ran, whichever is newer; None when the year was never checked."""
    done = CensusCheckRun.objects.filter(year=year, status=Status.DONE).first()
    from_run = validation_from_run(done) if done else None
    from_export = census_validation_from_export(year=year)
    found = [v for v in (from_run, from_export) if v is not None]
    return max(found, key=lambda v: v.from_export_at or v.checked_at, default=None)

"""Background runs of a return's pre-submission checks (the checks pages' "check now").

``census_check_request`` queues a run of the CIN census or the SSDA903 checks (one per
return and year at a time: asking again while one is queued or running returns that one);
the Celery task ``run_census_checks`` calls ``census_check_execute``, which claims the run,
runs the return's validator on the return as it would be exported now
(``service.census_validate``, ``ssda903_validator.validate_return``) and keeps the findings
on the row.
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
from metrics.returns.ssda903_validator import ReturnValidation, validate_return
from metrics.returns.ssda903_validator import ValidatorUnavailable as Lac903Unavailable

Status = CensusCheckRun.Status
CIN, SSDA903 = CensusCheckRun.Return.CIN_CENSUS, CensusCheckRun.Return.SSDA903
DID_NOT_FINISH = "The checks did not finish (the background worker stopped): run them again."


def _runs(return_type: str, year: int):
    return CensusCheckRun.objects.filter(return_type=return_type, year=year)


def latest_run(year: int, return_type: str = CIN) -> CensusCheckRun | None:
    return _runs(return_type, year).first()


def census_check_request(*, year: int, by, return_type: str = CIN) -> CensusCheckRun:
    """Queue a run of the year's checks, or return the one already queued or running."""
    give_up_stale(_runs(return_type, year), DID_NOT_FINISH)
    found = _runs(return_type, year).filter(status__in=CensusCheckRun.UNFINISHED)
    if run := found.first():
        return run
    try:
        with transaction.atomic():
            run = CensusCheckRun.objects.create(return_type=return_type, year=year,
                                                requested_by=by)  # fmt: skip
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
        result = _validate(run)
    except (ReturnError, ValidatorUnavailable, Lac903Unavailable) as exc:  # no retry helps
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
        rules_skipped=list(getattr(report, "skipped", [])),
        children=result.children,
        findings=[asdict(f) for f in report.findings],
        structure_errors=getattr(result, "structure_errors", []),
    )


def _validate(run: CensusCheckRun):
    if run.return_type == SSDA903:
        return validate_return(run.year)
    return census_validate(year=run.year)


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


def latest_ssda903_validation(year: int) -> tuple[ReturnValidation, CensusCheckRun] | None:
    """The findings of the year's latest finished SSDA903 check run, with the run."""
    run = _runs(SSDA903, year).filter(status=Status.DONE).first()
    if run is None:
        return None
    report = ValidatorReport(year=run.year, ruleset=run.ruleset, rules_run=run.rules_run)
    report.rules_not_run = list(run.rules_not_run)
    report.skipped = list(run.rules_skipped)
    report.findings = [ValidatorFinding(**f) for f in run.findings]
    return ReturnValidation(year=run.year, children=run.children, report=report), run


def latest_census_validation(year: int) -> CensusValidation | None:
    """The most recent findings for the year: a finished check run or the checks the latest
    finished export ran, whichever is newer; None when the year was never checked."""
    done = _runs(CIN, year).filter(status=Status.DONE).first()
    from_run = validation_from_run(done) if done else None
    from_export = census_validation_from_export(year=year)
    found = [v for v in (from_run, from_export) if v is not None]
    return max(found, key=lambda v: v.from_export_at or v.checked_at, default=None)

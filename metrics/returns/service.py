"""CIN census export and checks: the one path the commands, the Celery job and the page share."""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from casework.models import Authority
from metrics.returns import cin_xml
from metrics.returns.annex_a_xlsx import annex_a_workbook
from metrics.returns.checks import Finding, run_checks
from metrics.returns.collect import iter_census_children
from metrics.returns.dfe_validator import ValidatorFinding, ValidatorReport, validate_file
from metrics.returns.records import CensusPeriod

NO_AUTHORITY = "No authority is set up: an administrator must enter the LA code first."


class ReturnError(Exception):
    """A return cannot be produced; the message says why."""


@dataclass
class ExportResult:
    path: Path
    children: int
    schema_errors: list[str] = field(default_factory=list)


def census_export(*, year: int, out: Path, generated_at: datetime | None = None) -> ExportResult:
    """Write the CIN census return for the year ending 31 March ``year`` and validate it.

    Scope and codes: domain.md sections 2 and 5; metrics/returns/collect.py. ``generated_at``
    fixes the header DateTime (for reproducible files); it defaults to now, local time.
    """
    authority = Authority.objects.order_by("pk").first()
    if authority is None:
        raise ReturnError(NO_AUTHORITY)
    stamp = generated_at or timezone.localtime().replace(microsecond=0)
    header = cin_xml.Header(year=year, la_code=authority.la_code, generated_at=stamp)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = cin_xml.write_census(str(out), header, iter_census_children(CensusPeriod(year)))
    return ExportResult(path=out, children=count, schema_errors=cin_xml.schema_errors(out))


@dataclass
class CensusValidation:
    """The DfE rules' verdict on the return as it would be exported now."""

    year: int
    children: int
    report: ValidatorReport
    # The project's XSD: a structural check only, never evidence the DfE will accept a file.
    structure_errors: list[str] = field(default_factory=list)
    # When the checks ran on a background export rather than now (ISO timestamp).
    from_export_at: str = ""
    # When a background check run (metrics.returns.check_runs) finished (ISO timestamp).
    checked_at: str = ""

    @property
    def child_pks(self) -> dict[str, int]:
        """LA child ID -> record id, for links from each finding to the record to fix."""
        from casework.models import Child

        ids = {f.la_child_id for f in self.report.findings if f.la_child_id}
        return dict(Child.objects.filter(la_child_id__in=ids).values_list("la_child_id", "pk"))


def census_validate(*, year: int) -> CensusValidation:
    """Export the return to a scratch file and run the DfE-community validator's own rules for
    the census year on it (metrics/returns/dfe_validator.py)."""
    with tempfile.TemporaryDirectory() as scratch:
        result = census_export(year=year, out=Path(scratch) / f"cin-census-{year}.xml")
        report = validate_file(result.path, year=year)
    return CensusValidation(
        year=year,
        children=result.children,
        report=report,
        structure_errors=result.schema_errors,
    )


def census_validation_from_export(*, year: int) -> CensusValidation | None:
    """The checks the latest finished export of ``year`` ran (a demo-size authority takes
    minutes to check: the page shows these rather than making the administrator wait)."""
    done = [j for j in ExportJob.all() if j.kind == CIN_CENSUS and j.year == year and j.ruleset]
    done = [j for j in done if j.status == "done"]
    if not done:
        return None
    job = done[0]
    report = ValidatorReport(year=year, ruleset=job.ruleset)
    report.findings = [ValidatorFinding(**f) for f in job.findings]
    return CensusValidation(
        year=year,
        children=job.children,
        report=report,
        structure_errors=job.schema_errors,
        from_export_at=job.finished_at,
    )


def census_check(*, year: int) -> list[Finding]:
    """Run the pre-submission checks over exactly the data the export would contain."""
    period = CensusPeriod(year)
    return run_checks(iter_census_children(period), period)


# -- export jobs, kept as files beside the exports (no table needed) --------------------------


def returns_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "returns"
    (path / "jobs").mkdir(parents=True, exist_ok=True)
    return path


CIN_CENSUS, ANNEX_A = "cin_census", "annex_a"


@dataclass
class ExportJob:
    """A requested return: the CIN census for ``year``, or Annex A as of ``as_of``."""

    id: str
    year: int
    requested_by: str
    requested_at: str
    status: str = "queued"  # queued, running, done, failed
    kind: str = CIN_CENSUS
    as_of: str = ""  # ISO date, Annex A only
    file: str = ""
    children: int = 0  # CIN census: children in the file; Annex A: rows over all lists
    schema_errors: list[str] = field(default_factory=list)
    check_findings: int = 0  # CIN census: the DfE validator's errors
    check_queries: int = 0
    ruleset: str = ""
    findings: list[dict] = field(default_factory=list)  # the validator's, as plain dicts
    error: str = ""
    finished_at: str = ""

    @property
    def title(self) -> str:
        if self.kind == ANNEX_A:
            return f"Ofsted Annex A as of {date.fromisoformat(self.as_of):%d/%m/%Y}"
        return f"CIN census {self.year}"

    @property
    def path(self) -> Path:
        return returns_dir() / "jobs" / f"{self.id}.json"

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self)))
        tmp.replace(self.path)  # atomic: the page never reads a half-written job

    @classmethod
    def load(cls, job_id: str) -> ExportJob:
        try:
            uuid.UUID(job_id)
        except ValueError as exc:
            raise ReturnError("No such export") from exc
        path = returns_dir() / "jobs" / f"{job_id}.json"
        if not path.exists():
            raise ReturnError("No such export")
        return cls(**json.loads(path.read_text()))

    @classmethod
    def all(cls) -> list[ExportJob]:
        jobs = [cls(**json.loads(p.read_text())) for p in (returns_dir() / "jobs").glob("*.json")]
        return sorted(jobs, key=lambda j: j.requested_at, reverse=True)


def export_job_create(*, year: int, by) -> ExportJob:
    """Record a requested CIN census export and queue it (metrics.returns.tasks)."""
    from metrics.returns.tasks import run_census_export

    job = _job(by=by, year=year, kind=CIN_CENSUS)
    run_census_export.delay(job.id)
    return job


def annex_a_job_create(*, as_of: date, by) -> ExportJob:
    """Record a requested Annex A workbook and queue it (metrics.returns.tasks)."""
    from metrics.returns.tasks import run_annex_a_export

    job = _job(by=by, year=as_of.year, kind=ANNEX_A, as_of=as_of.isoformat())
    run_annex_a_export.delay(job.id)
    return job


def _job(*, by, **fields) -> ExportJob:
    job = ExportJob(
        id=str(uuid.uuid4()),
        requested_by=by.get_username(),
        requested_at=timezone.now().isoformat(),
        **fields,
    )
    job.save()
    return job


def export_job_run(*, job_id: str) -> ExportJob:
    return _run(job_id, _census_work)


def annex_a_job_run(*, job_id: str) -> ExportJob:
    return _run(job_id, _annex_a_work)


def _census_work(job: ExportJob) -> None:
    name = f"cin-census-{job.year}-{job.id[:8]}.xml"
    result = census_export(year=job.year, out=returns_dir() / name)
    job.file, job.children, job.schema_errors = name, result.children, result.schema_errors
    report = validate_file(returns_dir() / name, year=job.year)
    job.check_findings, job.check_queries = len(report.errors), len(report.queries)
    job.ruleset, job.findings = report.ruleset, [asdict(f) for f in report.findings]


def _annex_a_work(job: ExportJob) -> None:
    as_of = date.fromisoformat(job.as_of)
    name = f"annex-a-{as_of:%Y-%m-%d}-{job.id[:8]}.xlsx"
    workbook, counts = annex_a_workbook(as_of)
    tmp = returns_dir() / f"{name}.part"
    workbook.save(tmp)
    tmp.replace(returns_dir() / name)  # never offered half-written
    job.file, job.children = name, sum(counts.values())


def _run(job_id: str, work: Callable[[ExportJob], None]) -> ExportJob:
    job = ExportJob.load(job_id)
    if job.status == "done":  # a redelivered task does not redo the work
        return job
    job.status = "running"
    job.save()
    try:
        work(job)
        job.status = "done"
    except Exception as exc:  # recorded for the page; the task still fails loudly
        job.status, job.error = "failed", str(exc)
        raise
    finally:
        job.finished_at = timezone.now().isoformat()
        job.save()
    return job

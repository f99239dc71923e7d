"""CIN census export and checks: the one path the commands, the Celery job and the page share."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from casework.models import Authority
from metrics.returns import cin_xml
from metrics.returns.checks import Finding, run_checks
from metrics.returns.collect import iter_census_children
from metrics.returns.dfe_validator import ValidatorFinding, ValidatorReport, validate_file
from metrics.returns.models import ReturnExportJob
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
    job = (
        ReturnExportJob.objects.filter(
            kind=ReturnExportJob.Kind.CIN_CENSUS, year=year, status=ReturnExportJob.Status.DONE
        )
        .exclude(ruleset="")
        .first()
    )
    if job is None:
        return None
    report = ValidatorReport(year=year, ruleset=job.ruleset)
    report.findings = [ValidatorFinding(**f) for f in job.findings]
    return CensusValidation(
        year=year,
        children=job.children,
        report=report,
        structure_errors=list(job.schema_errors),
        from_export_at=job.finished_at.isoformat(),
    )


def census_check(*, year: int) -> list[Finding]:
    """Run the pre-submission checks over exactly the data the export would contain."""
    period = CensusPeriod(year)
    return run_checks(iter_census_children(period), period)


# -- where exports are written (the background jobs: metrics.returns.export_jobs) ----------


def returns_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "returns"
    path.mkdir(parents=True, exist_ok=True)
    return path

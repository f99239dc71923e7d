"""Load an authority's history from CIN census XML files (one or more years).

Each ``Child`` is checked on its own: against the schema, then against the DfE validator's
errors for that child (the rules ``check_cin_census`` runs; Caseflow's own ``Rule.blocks_import``
list only when the validator or the year's ruleset is unavailable), then loaded in one
transaction through the domain services (metrics/returns/import_child.py), so a child is
either wholly loaded or not at all, and every record passes the same rules as one entered on
a page. Files merge by LA child ID, and every record is matched before it is created, so a
second run loads nothing twice. A refusal by a service rejects the child with its reason.

The services act as ``cin-census-import``, an administrator account that cannot sign in.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from lxml import etree

from accounts.models import Role, User
from casework.calendar import CalendarRangeError
from casework.errors import DomainError
from casework.models import Authority
from casework.scope import stamping_deferred
from casework.services.authority import authority_setup
from metrics.returns import cin_xml, dfe_validator
from metrics.returns.checks import check_child
from metrics.returns.import_child import ChildLoader
from metrics.returns.records import CensusPeriod

IMPORT_USERNAME = "cin-census-import"


@dataclass
class Rejection:
    file: str
    la_child_id: str
    reasons: list[str]

    def __str__(self) -> str:
        who = self.la_child_id or "(file)"
        return f"{self.file}: {who}: " + "; ".join(self.reasons)


@dataclass
class ImportReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_user() -> User:
    """The account the services record as acting: an administrator that cannot sign in.

    It stays active because the services' permission table only lets active users act;
    an unusable password keeps it off the sign-in page.
    """
    user, created = User.objects.get_or_create(
        username=IMPORT_USERNAME,
        defaults={"role": Role.ADMINISTRATOR, "first_name": "CIN census", "last_name": "import"},
    )
    if created or user.has_usable_password() or user.role != Role.ADMINISTRATOR:
        user.role = Role.ADMINISTRATOR
        user.set_unusable_password()
        user.save(update_fields=["role", "password"])
    return user


def census_import(*, paths: list[Path]) -> ImportReport:
    """Load every valid child in ``paths``; list every rejected child or file with the reason."""
    report = ImportReport()
    by = import_user()
    with tempfile.TemporaryDirectory() as scratch:
        readable = []
        for path in paths:
            name = Path(path).name
            try:
                plain = cin_xml.without_namespaces(path, scratch)
                cin_xml.check_well_formed(plain)
            except cin_xml.CensusFormatError as exc:
                report.rejected.append(Rejection(name, "", [str(exc)]))
                continue
            except (etree.XMLSyntaxError, OSError) as exc:
                reason = f"{path}: not well-formed XML or unreadable: {exc}"
                report.rejected.append(Rejection(name, "", [reason]))
                continue
            readable.append((name, plain))
        with stamping_deferred():  # one pass over the imported episodes, not one per save
            _import_files(report, by, readable)
    return report


def _import_files(report: ImportReport, by, readable) -> None:
    # Oldest year first, so later years fill closures and end dates into what earlier ones
    # made.
    for name, path in sorted(readable, key=lambda item: _file_year(item[1])):
        header = cin_xml.read_header(path)
        if not _authority_ready(report, name, header):
            continue
        year = _year(header)
        blocking = _validator_errors(report, name, path, year)
        for header_el, el in cin_xml.iter_child_elements(path):
            _import_one(report, by, name, year, header_el, el, blocking)


def _validator_errors(report: ImportReport, name: str, path, year: int) -> dict | None:
    """The DfE validator's errors in the file, per LA child ID, so import and
    ``check_cin_census`` block on the same rules; None (Caseflow's own ``blocks_import``
    list decides) when the library or the year's ruleset is unavailable."""
    try:
        found = dfe_validator.validate_file(path, year=year)
    except (ImportError, dfe_validator.ValidatorUnavailable) as exc:
        report.notes.append(f"{name}: DfE validator not run ({exc}): Caseflow's own checks used")
        return None
    per_child: dict[str, list[str]] = {}
    for f in found.errors:
        reason = f"{f.rule} {f.message}: {f.record}"
        if f.la_child_id:
            per_child.setdefault(f.la_child_id, []).append(reason)
        else:  # about the whole return: no one child to refuse
            report.notes.append(f"{name}: validator error on the whole return: {reason}")
    return per_child


def _authority_ready(report: ImportReport, name: str, header: dict) -> bool:
    """On an empty installation the first file's header (LEA) sets up the authority."""
    if Authority.objects.exists():
        return True
    try:
        authority, _ = authority_setup(
            la_code=header.get("la_code", ""), name="", why=f"Set up from the header of {name}"
        )
    except DomainError as exc:
        report.rejected.append(Rejection(name, "", [f"Header LEA: {exc.message}"]))
        return False
    report.notes.append(
        f"Set up the authority {authority} from the header of {name}: "
        "rename it with the admin site or setup_authority"
    )
    return True


def _file_year(path) -> int:
    try:
        return _year(cin_xml.read_header(path))
    except Exception:  # malformed: reported in order by census_import
        return 0


def _year(header: dict) -> int:
    try:
        return int(header.get("year") or 0)
    except ValueError:
        return 0


def _import_one(
    report: ImportReport, by: User, name: str, year: int, header, el, validator: dict | None
) -> None:
    la_id = (el.findtext("ChildIdentifiers/LAchildID") or "").strip()
    try:
        _load_child(report, by, name, year, header, el, la_id, validator)
    except Exception as exc:  # noqa: BLE001 - one child's surprise never stops the file
        # Refused whole (its transaction rolled back) and reported: never a crash, never silent.
        reason = f"Could not be read or loaded ({type(exc).__name__}: {exc})"
        report.rejected.append(Rejection(name, la_id, [reason]))


def _load_child(report, by, name, year, header, el, la_id, validator) -> None:
    errors = cin_xml.child_schema_errors(header, el)
    if errors:
        report.rejected.append(Rejection(name, la_id, errors))
        return
    try:
        record = cin_xml.child_from_element(el)
    except cin_xml.CensusFormatError as exc:
        report.rejected.append(Rejection(name, la_id, [str(exc)]))
        return
    if validator is not None:
        blocking = list(dict.fromkeys(validator.get(la_id, [])))
    else:
        blocking = [
            f"{f.rule.id} {f.rule.message}: {f.detail}"
            for f in check_child(record, CensusPeriod(year or 2000))
            if f.rule.blocks_import
        ]
    if blocking:
        report.rejected.append(Rejection(name, la_id, blocking))
        return
    loader = ChildLoader(by=by)
    try:
        with transaction.atomic():
            changed = loader.load(record)
    except DomainError as exc:  # a service (or the rule it applies) refused a record
        report.rejected.append(Rejection(name, la_id, [str(exc)]))
        return
    except (ValidationError, IntegrityError, CalendarRangeError) as exc:
        reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc).splitlines()[0]]
        report.rejected.append(Rejection(name, la_id, reasons))
        return
    report.notes.extend(loader.notes)
    (report.loaded if changed else report.unchanged).append(la_id)

"""Run the DfE-community CIN census validator (``csc-validator-be-cin``) on a census file.

This is the rule set councils run before they submit; Caseflow calls the library's own rules
(never a copy), with the ruleset of the census year: the 2025 return (year ending 31 March
2025) is checked with the 2024-25 rules (``cin2024_25``), the 2026 return with ``cin2025_26``.

Findings are split into errors (the DfE refuses the return until they are fixed) and queries
(the DfE asks for a fix or an explanation); ``QUERY_MEANINGS`` says in plain words what each
query that a Caseflow export can raise is asking.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ERROR, QUERY = "error", "query"

# What each query in the 2024-25 and 2025-26 rulesets asks, in plain words, and what to do. A
# query is not an error: the DfE accepts the return when the data is right and the council
# gives the reason (for example a child really was re-referred, or a plan really is long).
QUERY_MEANINGS = {
    "1560Q": "The former UPN is not 13 characters in the UPN format: correct or remove it.",
    "2886Q": "More than 2% of born children have no sex recorded: record M or F.",
    "2887Q": "Fewer than 8 different disability codes are used in the whole return: check "
    "disabilities are being recorded.",
    "2888Q": "Every disabled child has only one disability code: record all of a child's "
    "disabilities.",
    "2991Q": "An episode has a section 47 enquiry but no assessment: record the assessment, "
    "or explain (for example, an s47 started straight from a strategy discussion).",
    "4009Q": "A CIN plan ends after the child's date of death: end it on or before that date.",
    "4012Q": "A CIN plan starts and ends on the same day: check both dates.",
    "8525Q": "Both a date of birth and an expected date of birth (or neither) are recorded.",
    "8530Q": "An unborn child's expected date of birth is outside March to December of the "
    "census year end: check it.",
    "8535Q": "The date of death is before the date of birth.",
    "8545Q": "The date of death is outside the census year.",
    "8555Q": "A referral is dated after the child's date of death.",
    "8569Q": "An episode referred before the census year is marked referral NFA: NFA applies "
    "only to referrals in the year.",
    "8585Q": "An episode closed RC2 (died) but the child has no date of death: record it.",
    "8670Q": "An assessment started more than 45 working days before 31 March has no "
    "authorisation date: authorise it, or explain why it is still open.",
    "8675Q": "A section 47 enquiry started more than 15 working days before 31 March has no "
    "ICPC date and ICPC not required is not set: record the outcome, or explain.",
    "8770Q": "A child of school age (over 5 at 31 March) has no UPN, or has UN1: record the "
    "UPN, or the reason that fits the child.",
    "8775Q": "The child is over 25 at 31 March: check the date of birth.",
    "8825Q": "An episode closed RC8 or RC9 (closed after assessment) has no assessment in "
    "the return: check the closure reason, or record the assessment.",
    "8842Q": "A CP plan review has no date.",
    "8863Q": "An assessment starts while another assessment on the episode is still open.",
    "8870Q": "The ICPC target date falls on a weekend.",
    "8873Q": "The only assessment on the episode found no factors (21) but the closure is not "
    "RC8 or RC9: check the closure reason.",
    "8897Q": "An authorised assessment has no factors: record the factors (or 21, none).",
    "8945Q": "Assessment factor 18A is used: use 18B or 18C (who the abuse was by).",
    "8950Q": "Assessment factor 19A is used: use 19B or 19C (who the abuse was by).",
    # SSDA903 (csc-validator-be-903) rules whose code does not do what the DfE's rule text
    # says: ssda903_validator.LIBRARY_DEFECTS reports their findings as ones to check.
    "SW12STG2": "The library flags every start of care (RNE S) with a social worker episode "
    "that began before it, and every episode open at 31 March that is not a start of care, "
    "whatever the social worker episodes show (its own test asserts this), while the DfE asks "
    "for the whole year's social workers, including before the child was looked after. "
    "Check the child has a social worker episode open at 31 March.",
    "SW11bSTG2": "The library flags a social worker episode that ended in the last five days "
    "of the year whenever the child had an earlier episode, even when the next episode starts "
    "that day (it compares the episode with the one before it, not the one after). Check the "
    "next social worker episode follows on.",
}


@dataclass(frozen=True)
class ValidatorFinding:
    rule: str
    kind: str  # ERROR or QUERY
    message: str
    la_child_id: str = ""  # empty for a finding on the whole return or its header
    table: str = ""
    field: str = ""
    value: str = ""

    @property
    def record(self) -> str:
        """The record to fix, in census item names (table, item and the value it holds)."""
        if not self.table:
            return "the whole return"
        value = f" = {self.value}" if self.value not in ("", "nan", "<NA>", "NaT") else " (empty)"
        return f"{self.table} {self.field}{value}"

    @property
    def meaning(self) -> str:
        return QUERY_MEANINGS.get(self.rule, "")


@dataclass
class ValidatorReport:
    year: int
    ruleset: str
    findings: list[ValidatorFinding] = field(default_factory=list)
    # Rules the library itself failed to run (printed, not raised, by the library): never a
    # silent pass, so the report names them.
    rules_not_run: list[str] = field(default_factory=list)
    rules_run: int = 0

    @property
    def errors(self) -> list[ValidatorFinding]:
        return [f for f in self.findings if f.kind == ERROR]

    @property
    def queries(self) -> list[ValidatorFinding]:
        return [f for f in self.findings if f.kind == QUERY]

    def counts(self, kind: str) -> dict[str, int]:
        """Children (or return-level findings) per rule, for ``kind``."""
        per_rule: dict[str, set] = {}
        for f in self.findings:
            if f.kind == kind:
                per_rule.setdefault(f.rule, set()).add(f.la_child_id or f.record)
        return {rule: len(ids) for rule, ids in sorted(per_rule.items())}


class ValidatorUnavailable(Exception):
    """The census year has no ruleset in the installed validator."""


def ruleset_name(year: int) -> str:
    """The library's ruleset for the return of ``year``: 2025 -> cin2024_25."""
    return f"cin{year - 1}_{str(year)[2:]}"


def registry(year: int) -> dict:
    name = ruleset_name(year)
    try:
        module = importlib.import_module(f"cin_validator.rules.{name}")
    except ModuleNotFoundError as exc:
        raise ValidatorUnavailable(
            f"The installed csc-validator-be-cin has no ruleset {name} for the {year} return"
        ) from exc
    return module.registry


_NS = re.compile(r"^\{[^}]*\}")


def _strip_namespaces(root: ET.Element) -> ET.Element:
    # The library looks elements up by bare name; a namespaced file would look empty to it.
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = _NS.sub("", el.tag)
    return root


def validate_file(path, *, year: int) -> ValidatorReport:
    """Run every rule of the year's ruleset on the census file at ``path``."""
    from cin_validator import cin_validator as lib  # heavy (pandas): imported when used

    rules = registry(year)
    root = _strip_namespaces(ET.parse(str(Path(path))).getroot())
    tables = lib.process_data(lib.convert_data(root))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        run = lib.CinValidator(tables, rules)
    report = ValidatorReport(year=year, ruleset=ruleset_name(year), rules_run=len(rules))
    report.rules_not_run = re.findall(r"Error with rule (\w+):", printed.getvalue())
    kind = {code: QUERY if r.rule_type.value == "Query" else ERROR for code, r in rules.items()}
    seen = set()
    for row in run.user_report.to_dict("records") if len(run.user_report) else []:
        code = str(row["rule_code"])
        finding = ValidatorFinding(
            rule=code,
            kind=kind.get(code, ERROR),
            message=str(row["rule_description"]),
            la_child_id=_clean(row.get("LAchildID")),
            table=_clean(row.get("tables_affected")),
            field=_clean(row.get("columns_affected")),
            value=_clean(row.get("value_flagged")),
        )
        if finding not in seen:
            seen.add(finding)
            report.findings.append(finding)
    la_level = getattr(run, "la_rule_issues", None)
    if la_level is not None and len(la_level):
        for row in la_level.to_dict("records"):
            code = str(row.get("rule_code", ""))
            rule = rules.get(code)
            report.findings.append(
                ValidatorFinding(
                    rule=code,
                    kind=kind.get(code, ERROR),
                    message=str(row.get("rule_description") or (rule and rule.message) or ""),
                )
            )
    return report


def _clean(value) -> str:
    text = "" if value is None else str(value)
    return "" if text in ("nan", "None", "<NA>") else text

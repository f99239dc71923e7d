"""Run the DfE-community SSDA903 validator (``csc-validator-be-903``) on an exported return.

Caseflow calls the library's own rules (never a copy) with the ruleset of the collection
year: the 2026 return (1 April 2025 to 31 March 2026) is checked with ``lac2025_26``, the
2025 return with ``lac2024_25``. The library has no queries: every flagged row is an error
the DfE asks the council to fix before it accepts the return, except the findings of rules
whose code contradicts the DfE's rule text (``LIBRARY_DEFECTS``), listed to check. Rules
that need files Caseflow does not hold (Ofsted's children's homes and social care providers
lookups, last year's return) skip themselves, and the report counts them.
"""

from __future__ import annotations

import copy
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.conf import settings

from metrics.returns.dfe_validator import ERROR, QUERY, ValidatorFinding, ValidatorReport
from metrics.returns.ssda903 import FILE_NAMES

# Rules of csc-validator-be-903 0.1.17 whose code contradicts the DfE rule it implements: their
# findings are listed to check (dfe_validator.QUERY_MEANINGS says why), not counted as errors.
# tests/returns/test_ssda903_social_workers.py runs each on a record the DfE's text accepts,
# so a library release that fixes one makes that test fail and this entry can go.
LIBRARY_DEFECTS = frozenset({"SW11bSTG2", "SW12STG2"})


class ValidatorUnavailable(Exception):
    """The collection year has no ruleset in the installed validator."""


def ruleset_name(year: int) -> str:
    return f"lac{year - 1}_{str(year)[2:]}"


def registry(year: int) -> dict:
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    try:
        return get_year_ruleset(str(year))
    except (ModuleNotFoundError, ImportError) as exc:
        raise ValidatorUnavailable(
            f"The installed csc-validator-be-903 has no ruleset {ruleset_name(year)} for the "
            f"{year} return"
        ) from exc


class _Run:
    """The library's ``LacValidator.validate`` loop, each rule on its own deep copy.

    The library hands every rule a shallow copy of one shared datastore, and some rules write
    into it in place (rule 165 fills every blank DEC with 31 March through ``.loc``), so a later
    rule sees altered data: a child still missing at 31 March in a still-open episode is then
    flagged by 575 and 577, or not, depending on rule order. Run alone, the rules agree with
    their own tests; a deep copy per rule runs them that way.
    """

    def __init__(self, metadata, files, reg, selected_rules=None):
        from lac_validator.datastore import create_datastore
        from lac_validator.ingress import read_from_text

        dfs, extras = read_from_text(raw_files=files)
        metadata.update(extras)
        data = create_datastore(dfs, metadata)
        self.ds_results = {k: (v if k == "metadata" else v.copy()) for k, v in data.items()}
        self.dones, self.skips, self.fails = [], [], []
        for code, rule in reg.items():
            if selected_rules and code not in selected_rules:
                continue
            fresh = {k: (copy.deepcopy(v) if k == "metadata" else v.copy(deep=True))
                     for k, v in data.items()}  # fmt: skip
            try:
                result = rule.func(fresh)
            except Exception:  # noqa: BLE001 - the library's own rule failed: reported, not raised
                self.fails.append(code)
                continue
            found = {t: [r for r in rows if pd.notna(r)] for t, rows in result.items()}
            # A rule naming rows its table does not have (SW01STG1 returns Episodes rows as
            # SWEpisodes rows) cannot be reported against a record: it counts as not run.
            if any(set(rows) - set(self.ds_results[t].index) for t, rows in found.items()):
                self.fails.append(code)
                continue
            (self.skips if result == {} else self.dones).append(code)
            for table, rows in found.items():
                if rows:
                    self.ds_results[table].loc[rows, f"ERR_{code}"] = True


def validate_dir(directory, *, year: int, rules: list[str] | None = None) -> ValidatorReport:
    """Run the year's rules on the CSV files an export wrote to ``directory``."""
    from lac_validator.lac_validator import create_issue_df
    from lac_validator.report import Report

    reg = registry(year)
    files = [
        {"name": name, "file_content": (Path(directory) / name).read_bytes(),
         "description": "This year"}
        for name in FILE_NAMES.values() if (Path(directory) / name).exists()
    ]  # fmt: skip
    # The library logs every rule at INFO and a traceback for a rule it cannot run; the
    # report names those rules instead.
    quiet = logging.getLogger("lac_validator")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        metadata = {"collectionYear": str(year), "localAuthority": settings.CASEFLOW_LA_ONS_CODE}
        run = _Run(metadata, files, reg, selected_rules=rules)
        report = Report(run.ds_results, reg)
        has_errors = any(
            c.startswith("ERR_") for t, df in run.ds_results.items() if t != "metadata"
            for c in df.columns
        )  # fmt: skip
        issues = create_issue_df(report.report, report.error_report) if has_errors else None
    finally:
        quiet.level = level
    out = ValidatorReport(year=year, ruleset=ruleset_name(year), rules_run=len(run.dones))
    out.rules_not_run = sorted(run.fails)
    seen = set()
    for row in issues.to_dict("records") if issues is not None else []:
        code = str(row["rule_code"])
        table = _clean(row.get("tables_affected"))
        field = _clean(row.get("columns_affected"))
        value = _value(run.ds_results, table, row.get("row_id"), field)
        finding = ValidatorFinding(
            rule=code, kind=QUERY if code in LIBRARY_DEFECTS else ERROR,
            message=str(row["rule_description"]),
            la_child_id=_clean(row.get("child_id")), table=table, field=field, value=value,
        )  # fmt: skip
        if finding not in seen:
            seen.add(finding)
            out.findings.append(finding)
    out.skipped = sorted(run.skips)
    return out


def _value(results, table, row_id, field) -> str:
    try:
        return _clean(results[table].loc[row_id, field])
    except (KeyError, TypeError):
        return ""


def _clean(value) -> str:
    text = "" if value is None else str(value)
    return "" if text in ("nan", "None", "<NA>", "NaT") else text


@dataclass
class ReturnValidation:
    year: int
    children: int
    report: ValidatorReport


def validate_return(year: int) -> ReturnValidation:
    """Export the return to a scratch directory and run the year's rules on it."""
    from metrics.returns import ssda903

    ret = ssda903.build(year)
    with tempfile.TemporaryDirectory() as scratch:
        ssda903.write(ret, Path(scratch))
        report = validate_dir(scratch, year=year)
    return ReturnValidation(year=year, children=ret.children, report=report)

"""python manage.py check_cin_census --year 2025 [--xlsx report.xlsx]

Runs the DfE-community validator's rules (csc-validator-be-cin, the year's own ruleset) on the
return as it would be exported now, and lists each error and query per child and rule with
the record to fix. Exits non-zero while any error remains.
"""

from django.core.management.base import BaseCommand, CommandError

from metrics.returns.dfe_validator import ERROR, QUERY
from metrics.returns.service import ReturnError, census_validate
from metrics.returns.xlsx import validation_workbook


class Command(BaseCommand):
    help = "Run the DfE CIN census validation rules; list errors and queries per child and rule."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--xlsx", help="Also write the report to this XLSX file")

    def handle(self, *args, year, xlsx, **options):
        try:
            result = census_validate(year=year)
        except ReturnError as exc:
            raise CommandError(str(exc)) from exc
        report = result.report
        self.stdout.write(
            f"CIN census {year}: {result.children} children checked with the "
            f"{report.ruleset} rules of csc-validator-be-cin ({report.rules_run} rules)."
        )
        for kind, title in ((ERROR, "Errors"), (QUERY, "Queries")):
            found = [f for f in report.findings if f.kind == kind]
            self.stdout.write(f"{title}: {len(found)}")
            for f in found:
                child = f.la_child_id or "(return)"
                meaning = f"\t{f.meaning}" if kind == QUERY and f.meaning else ""
                self.stdout.write(f"{child}\t{f.rule}\t{f.record}\t{f.message}{meaning}")
        for kind in (ERROR, QUERY):
            counts = report.counts(kind)
            summary = ", ".join(f"{rule}: {n}" for rule, n in counts.items()) or "none"
            self.stdout.write(f"{kind.capitalize()}s by rule (children): {summary}")
        if report.rules_not_run:
            self.stderr.write(
                "Rules the validator could not run: " + ", ".join(report.rules_not_run)
            )
        if result.structure_errors:
            self.stderr.write(
                f"{len(result.structure_errors)} structural (XSD) errors: "
                + "; ".join(result.structure_errors[:5])
            )
        if xlsx:
            validation_workbook(result).save(xlsx)
            self.stdout.write(f"Wrote {xlsx}")
        if report.errors or report.rules_not_run:
            raise CommandError(
                f"{len(report.errors)} errors: the DfE refuses the return until they are fixed"
            )
        self.stdout.write(f"No errors under the {report.ruleset} rules.")

"""python manage.py check_ssda903 --year 2026

Runs the DfE-community SSDA903 validator's rules (csc-validator-be-903, the year's own
ruleset) on the return as it would be exported now and lists each error per child and rule
with the record to fix. Exits non-zero while any error remains.
"""

from django.core.management.base import BaseCommand, CommandError

from metrics.returns.ssda903_validator import ValidatorUnavailable, validate_return


class Command(BaseCommand):
    help = "Run the SSDA903 validation rules; list errors per child and rule."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        try:
            result = validate_return(year)
        except ValidatorUnavailable as exc:
            raise CommandError(str(exc)) from exc
        report = result.report
        self.stdout.write(
            f"SSDA903 {year}: {result.children} children checked with the {report.ruleset} "
            f"rules of csc-validator-be-903 ({report.rules_run} rules ran, "
            f"{len(report.skipped)} skipped: they need files Caseflow does not hold)."
        )
        self.stdout.write(f"Errors: {len(report.errors)}")
        for f in report.errors:
            self.stdout.write(f"{f.la_child_id or '(return)'}\t{f.rule}\t{f.record}\t{f.message}")
        counts = report.counts("error")
        summary = ", ".join(f"{rule}: {n}" for rule, n in counts.items()) or "none"
        self.stdout.write(f"Errors by rule (children): {summary}")
        if report.queries:
            self.stdout.write(f"To check (library rules that contradict the DfE's text): "
                              f"{len(report.queries)}")  # fmt: skip
            for f in report.queries:
                self.stdout.write(f"{f.la_child_id or '(return)'}\t{f.rule}\t{f.record}")
        if report.rules_not_run:
            self.stderr.write(
                "Rules the validator could not run: " + ", ".join(report.rules_not_run)
            )
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} errors: the DfE refuses the return until they are fixed"
            )
        self.stdout.write(f"No errors under the {report.ruleset} rules.")

"""python manage.py check_cin_census --year 2025 [--xlsx report.xlsx]"""

from collections import Counter

from django.core.management.base import BaseCommand

from metrics.returns.service import census_check
from metrics.returns.xlsx import findings_workbook


class Command(BaseCommand):
    help = "Run the CIN census pre-submission checks; list findings per child and rule."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--xlsx", help="Also write the report to this XLSX file")

    def handle(self, *args, year, xlsx, **options):
        findings = census_check(year=year)
        for f in findings:
            self.stdout.write(f"{f.la_child_id}\t{f.rule.id}\t{f.rule.message}\t{f.detail}")
        by_rule = Counter(f.rule.id for f in findings)
        children = len({f.la_child_id for f in findings})
        summary = ", ".join(f"{rule}: {n}" for rule, n in sorted(by_rule.items()))
        self.stdout.write(f"{len(findings)} findings for {children} children. {summary}")
        if xlsx:
            findings_workbook(findings, year=year).save(xlsx)
            self.stdout.write(f"Wrote {xlsx}")

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from metrics import periods as P
from metrics import selectors

FIELDS = ["kpi", "period", "scope", "numerator", "denominator", "value"]


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class Command(BaseCommand):
    help = "Print stored KPI values for a period and scope as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="FY2024-25, 2024-Q3, 2024-11, ...")
        parser.add_argument("--scope", default="authority", help="authority, team:ID, worker:ID")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, period, scope, format, **options):
        try:
            period = P.parse(period)
            scope_type, scope_id = selectors.parse_scope(scope)
        except (P.PeriodError, selectors.ScopeError) as exc:
            raise CommandError(str(exc)) from exc
        rows = [
            {
                "kpi": s.kpi,
                "period": s.period,
                "scope": selectors.format_scope(s.scope_type, s.scope_id),
                "numerator": _number(s.numerator),
                "denominator": _number(s.denominator),
                "value": _number(s.value),
            }
            for s in selectors.snapshot_list(
                periods=[period.name], scope_type=scope_type, scope_id=scope_id
            )
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

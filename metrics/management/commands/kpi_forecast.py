import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from metrics import forecast, selectors
from metrics import periods as P


class Command(BaseCommand):
    help = (
        "Print a timeliness KPI's forecast: the records that will breach in the next 10 "
        "working days unless a step is recorded, and the period's projected values."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kpi", required=True, choices=forecast.CODES)
        parser.add_argument("--scope", default="authority", help="authority, team:ID, worker:ID")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--period", help="The period to project (default: this month)")
        parser.add_argument("--today", help="Forecast as of this date (YYYY-MM-DD)")

    def handle(self, *args, kpi, scope, period, today, **options):
        try:
            scope_type, scope_id = selectors.parse_scope(scope)
            period = P.parse(period) if period else None
            today = date.fromisoformat(today) if today else timezone.localdate()
        except (P.PeriodError, selectors.ScopeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        result = forecast.kpi_forecast(
            kpi, today=today, scope_type=scope_type, scope_id=scope_id, period=period
        )
        self.stdout.write(json.dumps(result.as_json(), indent=2))

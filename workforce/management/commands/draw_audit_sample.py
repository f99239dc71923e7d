"""Draw each team's case file audit sample for a month (the beat job does this on the 1st)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workforce.services.audits import audit_sample_draw


class Command(BaseCommand):
    help = "Draw the monthly case file audit sample for every active team."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: this month)")

    def handle(self, *args, month=None, **options):
        try:
            day = date.fromisoformat(f"{month}-01") if month else timezone.localdate()
        except ValueError as e:
            raise CommandError("Enter the month as YYYY-MM, for example 2025-06") from e
        drawn = audit_sample_draw(month=day)
        self.stdout.write(f"Drew {len(drawn)} case files for {day:%B %Y}")

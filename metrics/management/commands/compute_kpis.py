import time

from django.core.management.base import BaseCommand, CommandError

from metrics import periods as P
from metrics import services


class Command(BaseCommand):
    help = "Compute KPI snapshots synchronously (all standard periods, or --period ...)."

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", default=[], help="e.g. FY2024-25")

    def handle(self, *args, period, **options):
        started = time.monotonic()
        try:
            chosen = [P.parse(name) for name in period]
        except P.PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if chosen:
            written = services.kpi_snapshots_compute(periods=chosen)
        else:
            written = services.kpi_snapshots_compute_all()
        self.stdout.write(f"{written} KPI snapshots in {time.monotonic() - started:.1f}s")

"""Check or re-write the scope stored on events (``casework.scope``).

Every service write keeps it right; this is for rows written around the services (a
bulk correction in SQL, a partial restore), and for checking that none were.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework.scope import restamp_scope, scope_drift


class Command(BaseCommand):
    help = "Re-stamp each event's stored team and worker from the allocations (or --check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true",
            help="Only count event rows whose stored scope is wrong; exit 1 if there are any.",
        )  # fmt: skip

    def handle(self, *args, check, **options):
        drift = scope_drift()
        wrong = sum(drift.values())
        for column, rows in drift.items():
            if rows:
                self.stdout.write(f"  {column:<45} {rows:>8,} rows with a wrong stored scope")
        if check:
            if wrong:
                raise CommandError(f"{wrong:,} event rows have a wrong stored scope")
            self.stdout.write("Every event's stored scope matches its episode's allocations.")
            return
        with transaction.atomic():
            restamp_scope()
        self.stdout.write(
            f"Re-stamped {wrong:,} event rows; run compute_kpis for the KPIs to follow them."
        )

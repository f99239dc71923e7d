"""Load the demo authority once and (re)set the demo logins. Safe to run twice."""

import os
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.models import Authority

DEMO_USERS = [
    ("sw", "social worker, with a caseload"),
    ("tm", "team manager of sw's team"),
    ("hos", "head of service"),
    ("admin", "administrator"),
]


class Command(BaseCommand):
    help = "Load the demo authority (if the database has none) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", default="demo", help="Generator scale (tests use tiny).")
        parser.add_argument("--end-date", default=None, help="Last day of history (YYYY-MM-DD).")

    def handle(self, *args, seed, scale, end_date, **options):
        if Authority.objects.exists():
            self.stdout.write("Demo authority already loaded: leaving its data as it is.")
        else:
            self.stdout.write("Generating the demo authority (first run only)...")
            extra = ["--end-date", end_date] if end_date else []
            call_command("generate_authority", "--scale", scale, "--seed", str(seed), *extra,
                         stdout=self.stdout)  # fmt: skip
            self._leave_work_due(end_date)
            self.stdout.write("Computing the KPIs (first run only)...")
            call_command("compute_kpis", stdout=self.stdout)
        from casework.demo import ensure_demo_users

        ensure_demo_users(password=settings.DEMO_PASSWORD)
        self._print_logins()

    def _leave_work_due(self, end_date: str | None) -> None:
        """Before the KPIs, so they count what the demo shows: sw has work overdue and due."""
        from casework.demo import _demo_caseworker
        from casework.demo_work import leave_work_due

        worker = _demo_caseworker()
        if worker is not None:
            today = date.fromisoformat(end_date) if end_date else timezone.localdate()
            leave_work_due(worker, today=today)

    def _print_logins(self):
        source = "DEMO_PASSWORD" if "DEMO_PASSWORD" in os.environ else "default"
        port = os.environ.get("PORT", "8000")
        lines = [
            "",
            f"Caseflow demo: http://127.0.0.1:{port}/",
            f"Password for every demo login ({source}): {settings.DEMO_PASSWORD}",
            *(f"  {username:<6} {role}" for username, role in DEMO_USERS),
            "",
        ]
        self.stdout.write("\n".join(lines))

"""Load the demo authority and (re)set the demo logins. Safe to run twice.

The demo's present is the day it was generated up to: run on a later day (``make demo``
the next morning), the old demo is regenerated up to today (in demo mode, or with
``--refresh``), so sw's visits and steps are due this week, not months overdue.
"""

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
        parser.add_argument(
            "--end-date", default=None,
            help="Last day of history, the demo's present (YYYY-MM-DD); default today.",
        )  # fmt: skip
        parser.add_argument(
            "--refresh", action="store_true",
            help="Regenerate a demo generated for an earlier day (always so in demo mode).",
        )  # fmt: skip

    def handle(self, *args, seed, scale, end_date, refresh, **options):
        from casework import demo_refresh

        today = date.fromisoformat(end_date) if end_date else timezone.localdate()
        if Authority.objects.exists():
            present = demo_refresh.demo_present()
            if not demo_refresh.is_stale(today):
                self.stdout.write("Demo authority already loaded: leaving its data as it is.")
            elif refresh or settings.DEMO_MODE:
                when = f"{present:%d %B %Y}" if present else "an earlier day"
                self.stdout.write(
                    f"The demo authority was generated up to {when}: regenerating it so that "
                    f"its present is {today:%d %B %Y} (changes made in the old demo are lost)."
                )
                demo_refresh.empty_generated_authority()
                self._generate(scale, seed, today)
            else:
                self.stdout.write(
                    f"Demo authority already loaded (generated up to {present}): leaving its "
                    "data as it is. Run load_demo --refresh to regenerate it up to today."
                )
        else:
            self.stdout.write("Generating the demo authority (first run only)...")
            self._generate(scale, seed, today)
        from casework.demo import ensure_demo_users

        ensure_demo_users(password=settings.DEMO_PASSWORD)
        self._print_logins()

    def _generate(self, scale: str, seed: int, today: date) -> None:
        from casework.demo import ensure_demo_users
        from casework.demo_work import leave_demo_week

        call_command("generate_authority", "--scale", scale, "--seed", str(seed),
                     "--end-date", today.isoformat(), stdout=self.stdout)  # fmt: skip
        # Before the KPIs, so they count what the demo shows: each role's week is alive.
        users = ensure_demo_users(password=settings.DEMO_PASSWORD)
        if hasattr(users["sw"], "worker"):
            leave_demo_week(users, today=today)
        self.stdout.write("Computing the KPIs...")
        call_command("compute_kpis", stdout=self.stdout)

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

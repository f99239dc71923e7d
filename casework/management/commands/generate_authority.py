"""Generate a synthetic authority: organisation, workforce and years of casework."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from casework.generator.config import SCALES
from casework.generator.engine import AlreadyLoaded, generate


def _date(value: str):
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(value)
    return parsed


class Command(BaseCommand):
    help = "Create a synthetic authority (refuses a database that already has one)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument(
            "--end-date", type=_date, default=None,
            help="Last day of generated history (YYYY-MM-DD); default today.",
        )  # fmt: skip
        parser.add_argument(
            "--contacts-per-year", type=int, default=None,
            help="Children on contacts per year (overrides the scale's volume).",
        )  # fmt: skip
        parser.add_argument("--json", action="store_true", help="Also print a JSON summary.")

    def handle(self, *args, scale, seed, years, end_date, contacts_per_year, **options):
        end_date = end_date or timezone.localdate()
        try:
            result = generate(scale=scale, seed=seed, years=years, end_date=end_date,
                              contacts_per_year=contacts_per_year)  # fmt: skip
        except AlreadyLoaded as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Generated the {scale} authority (seed {seed}, {result['start']} to "
            f"{result['end']}) in {result['elapsed_s']} s, peak RSS {result['peak_rss_mb']} MB."
        )
        for table, count in result["rows"].items():
            self.stdout.write(f"  {table:<40} {count:>10,}")
        if options["json"]:
            self.stdout.write(json.dumps(result))

"""python manage.py import_ssda903 DIR [--year 2026]

Loads an authority's SSDA903 return (the CSV files, as the DfE-community validator reads them)
through the care services, for onboarding; refuses a child whole with the reason and goes on.
"""

from django.core.management.base import BaseCommand, CommandError

from metrics.returns.ssda903_import import Refused, import_return


class Command(BaseCommand):
    help = "Load an SSDA903 return (CSV files in DIR) through the care services."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--year", type=int, help="The return's year (default: from its dates)")

    def handle(self, *args, directory, year, **options):
        try:
            result = import_return(directory, year=year)
        except (Refused, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Loaded {len(result.loaded)} children, refused {len(result.refused)}.")
        for la_id, reason in result.refused:
            self.stdout.write(f"Refused {la_id}: {reason}")

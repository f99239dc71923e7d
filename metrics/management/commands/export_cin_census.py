"""python manage.py export_cin_census --year 2025 --out cin.xml"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from metrics.returns.service import ReturnError, census_export


class Command(BaseCommand):
    help = "Write the DfE children-in-need census XML for the year ending 31 March YEAR."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--datetime",
            help="Header DateTime to write (ISO, e.g. 2025-05-01T09:00:00) for reproducible files",
        )

    def handle(self, *args, year, out, datetime: str | None, **options):
        stamp = None
        if datetime:
            stamp = _parse(datetime)
        try:
            result = census_export(year=year, out=out, generated_at=stamp)
        except ReturnError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {result.children} children to {result.path}")
        if result.schema_errors:
            for error in result.schema_errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.schema_errors)} schema errors: see above")
        # The XSD is Caseflow's reconstruction: a structural check, not the DfE's verdict.
        self.stdout.write(
            "Structure matches metrics/returns/cin_census.xsd (a structural check only: run "
            f"check_cin_census --year {year} for the DfE validation rules)"
        )


def _parse(text: str):
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--datetime: {exc}") from exc
    return value if timezone.is_naive(value) else timezone.localtime(value)

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from metrics.comparators import CSV_COLUMNS, comparators_import_csv


class Command(BaseCommand):
    help = "Load KPI comparators from a CSV file with the columns " + ", ".join(CSV_COLUMNS)

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
            count = comparators_import_csv(text)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"{count} comparators loaded")

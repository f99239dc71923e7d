"""python manage.py import_cin_census FILE.xml [FILE2.xml ...]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metrics.returns.importer import census_import


class Command(BaseCommand):
    help = (
        "Load children, episodes, assessments, s47s, ICPCs, plans and reviews from CIN census XML."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        report = census_import(paths=list(files))
        self.stdout.write(
            f"Loaded or updated {len(report.loaded)} children; "
            f"{len(report.unchanged)} already held; {len(report.rejected)} rejected."
        )
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        for rejection in report.rejected:
            self.stderr.write(f"Rejected {rejection}")
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} records could not be loaded: see above")

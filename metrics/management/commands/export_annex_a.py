"""python manage.py export_annex_a --as-of 2025-03-31 --out annex_a.xlsx"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from metrics.returns.annex_a_xlsx import annex_a_workbook


class Command(BaseCommand):
    help = "Write Ofsted Annex A lists 1-11 (six months to --as-of; open cases at --as-of)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, dest="as_of")
        parser.add_argument("--out", required=True)

    def handle(self, *args, as_of, out, **options):
        try:
            day = date.fromisoformat(as_of)
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from exc
        wb, counts = annex_a_workbook(day)
        wb.save(out)
        for title, n in counts.items():
            self.stdout.write(f"{title}: {n} rows")
        self.stdout.write(f"Wrote {out}")

"""python manage.py export_ssda903 --year 2026 --out DIR

Writes the SSDA903 return for the collection year ending 31 March ``--year`` as one CSV per
table, with exactly the columns of the DfE-community validator (metrics/returns/ssda903.py
says who is in which table).
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from metrics.returns import ssda903


class Command(BaseCommand):
    help = "Write the SSDA903 (children looked after) return as CSV files, one per table."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="Directory for the CSV files")

    def handle(self, *args, year, out, **options):
        ret = ssda903.build(year)
        paths = ssda903.write(ret, Path(out))
        rows = ", ".join(f"{t}: {len(r)}" for t, r in ret.tables.items())
        self.stdout.write(f"SSDA903 {year}: {ret.children} children ({rows})")
        self.stdout.write(f"Wrote {len(paths)} files to {out}")

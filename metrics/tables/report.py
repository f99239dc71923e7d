"""The quarterly report's breakdowns on the page (django-tables2). The same
``exports.Table`` rows are the XLSX's sheets (``exports.workbook_response``).

The report's four section tables stay hand-written in templates/metrics/report.html:
each measure is a group of rows whose first and last cells span the group (``rowspan``)
with a sparkline in one row, which a django-tables2 row (one record, one cell per
column) cannot express.
"""

from __future__ import annotations

import django_tables2 as tables

from casework.tables import NUM, GovukTable
from metrics.exports import Table, text
from metrics.tables import DASH


class CellColumn(tables.Column):
    """A row's cell as the download writes it; an empty cell reads as a dash."""

    def render(self, value):
        return text(value) or DASH


class BreakdownTable(GovukTable):
    row_headers = True

    class Meta:
        orderable = False

    def __init__(self, table: Table, *, caption: str, attrs: dict):
        # The third column on are counts and shares.
        columns = [
            (
                f"c{i}",
                CellColumn(name, accessor=str(i), empty_values=(), attrs=NUM if i >= 2 else {}),
            )  # fmt: skip
            for i, name in enumerate(table.header)
        ]
        self.caption = caption
        super().__init__(table.rows, extra_columns=columns, attrs=attrs)


def breakdown_tables(report: dict) -> list[BreakdownTable]:
    year = report["year"].name
    return [
        BreakdownTable(
            t,
            caption=f"{t.title}, {year}",
            attrs={"id": f"breakdown-{i}", "class": "cf-report-table"},
        )  # fmt: skip
        for i, t in enumerate(report["breakdowns"], start=1)
    ]

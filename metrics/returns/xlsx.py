"""XLSX writing for the statutory returns: Annex A and the CIN census checks.

Kept beside django-tables2's export (tablib, ``metrics.exports``), which the KPI pages
use, because these workbooks need what tablib does not do: Annex A's lists run to
thousands of rows and stream through openpyxl's write-only mode (tablib builds every
cell of the workbook in memory first), and Ofsted's and the DfE's dates are shown as UK
dates (tablib writes no number format). Every text cell passes the KPI downloads' one
sanitiser (``metrics.exports.safe``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from metrics.exports import safe

UK_DATE = "dd/mm/yyyy"


def new_workbook() -> Workbook:
    """A write-only workbook for ``add_sheet``: rows stream to the file as they come, so
    a sheet of 10,000 rows costs the same per row as one of ten (and far less memory)."""
    return Workbook(write_only=True)


def add_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    ws = wb.create_sheet(title=title[:31])
    # Write-only sheets take their layout before the first row.
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) + 2))
    ws.append([_cell(ws, header, font=BOLD) for header in headers])
    count = 0
    for row in rows:
        ws.append([_cell(ws, v) if isinstance(v, date) else safe(v) for v in row])
        count += 1
    return count


BOLD = Font(bold=True)


def _cell(ws, value, *, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if isinstance(value, date):
        cell.number_format = UK_DATE
    return cell


def validation_workbook(result) -> Workbook:
    """The DfE validator's findings (``CensusValidation``): errors, then queries."""
    wb = new_workbook()
    headers = ["LA child ID", "Rule", "Record to fix", "Message", "What it means"]
    for kind, title in (("error", "Errors"), ("query", "Queries")):
        rows = (
            [f.la_child_id, f.rule, f.record, f.message, f.meaning]
            for f in result.report.findings
            if f.kind == kind
        )
        add_sheet(wb, f"CIN census {result.year} {title.lower()}", headers, rows)
    return wb

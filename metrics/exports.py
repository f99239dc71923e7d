"""Every KPI table as a download: one table, written as CSV or XLSX with the same cells.

Pages build a ``Table`` (header and rows of plain values) and hand it here; the CSV
text and the XLSX cells come from the same values, so the two downloads agree with each
other and with the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from metrics.returns.xlsx import add_sheet, new_workbook

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    header: Sequence[str]
    rows: list[Sequence] = field(default_factory=list)


def requested(request) -> str | None:
    """The download format the request asks for (``?format=csv|xlsx``), or None for HTML."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def text(value) -> str:
    """A value as CSV and page text: no exponent ('100', not '1E+2'), no trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell(value):
    """A value as an XLSX cell: numbers stay numbers (whole ones as integers)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows([text(v) for v in row] for row in table.rows)
    return out.getvalue().encode()


def workbook(tables: Sequence[Table]) -> Workbook:
    wb = new_workbook()
    for table in tables:
        add_sheet(wb, table.title, table.header, ([cell(v) for v in row] for row in table.rows))
    return wb


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workbook_response(stem: str, tables: Sequence[Table]) -> HttpResponse:
    out = io.BytesIO()
    workbook(tables).save(out)
    return _attachment(out.getvalue(), XLSX_TYPE, f"{stem}.xlsx")


def download(fmt: str, stem: str, table: Table) -> HttpResponse:
    """One table as ``stem.csv`` or ``stem.xlsx`` (a workbook of one sheet)."""
    if fmt == XLSX:
        return workbook_response(stem, [table])
    return _attachment(csv_bytes(table), "text/csv", f"{stem}.csv")

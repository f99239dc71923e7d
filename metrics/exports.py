"""Every KPI download, through django-tables2's export (tablib): CSV or XLSX, same cells.

A page's table (``metrics.tables``) is exported with ``download``; the quarterly report's
row tables become one XLSX of one sheet each (``workbook_response``, a tablib Databook).
Every cell passes the same two rules: ``safe`` (no spreadsheet formula from a record's
text) and then ``text`` for CSV or ``cell`` for XLSX, so the two downloads agree with
each other and with the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django_tables2.export import TableExport

CSV, XLSX = TableExport.CSV, TableExport.XLSX
FORMATS = (CSV, XLSX)
XLSX_TYPE = TableExport.FORMATS[XLSX]
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV
# injection"): a child's name or a note typed as "=HYPERLINK(...)" must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A table of plain rows (the quarterly report's): one XLSX sheet each."""

    title: str
    header: Sequence[str]
    rows: list[Sequence] = field(default_factory=list)


def requested(request) -> str | None:
    """The download format the request asks for (``?format=csv|xlsx``), or None for HTML."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def download_query(request) -> str:
    """The page's query string for its download links: its filters and sort, without the
    page number (a download has every row) or the table and format a link adds."""
    query = request.GET.copy()
    for added in ("page", "table", "format"):
        query.pop(added, None)
    return query.urlencode()


def safe(value):
    """Text that a spreadsheet would run as a formula, with a leading apostrophe so it is
    shown as typed. Numbers and dates are not text: a negative figure stays a number; a
    lone "-" (the census code of a contact awaiting a decision) is no formula either."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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


def dataset(fmt: str, title: str, header: Sequence[str], rows: Iterable[Sequence]):
    """A tablib Dataset of the rows with every cell written for ``fmt``."""
    write = text if fmt == CSV else cell
    data = tablib.Dataset(title=title[:31])
    data.headers = [str(h) for h in header]
    for row in rows:
        data.append([write(safe(v)) for v in row])
    return data


class KpiExport(TableExport):
    """django-tables2's export with the KPI cell rules above (its own writes Decimals as
    '100.0000' and passes formulas through)."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        values = table.as_values(exclude_columns=exclude_columns)
        header = next(values)
        return dataset(self.format, (dataset_kwargs or {}).get("title", ""), header, values)


def download(fmt: str, stem: str, table, *, title: str) -> HttpResponse:
    """One django-tables2 table as ``stem.csv`` or ``stem.xlsx`` (a workbook of one sheet)."""
    export = KpiExport(fmt, table, dataset_kwargs={"title": title})
    return export.response(filename=f"{stem}.{fmt}")


def workbook_response(stem: str, tables: Sequence[Table]) -> HttpResponse:
    """Several row tables as one XLSX, a sheet each."""
    book = tablib.Databook([dataset(XLSX, t.title, t.header, t.rows) for t in tables])
    response = HttpResponse(book.export(XLSX), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response

"""XLSX helpers shared by the check report and Annex A."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from metrics.returns.checks import Finding

UK_DATE = "dd/mm/yyyy"


def add_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    count = 0
    for row in rows:
        ws.append(list(row))
        count += 1
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = UK_DATE
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) + 2))
    return count


def findings_workbook(findings: list[Finding], *, year: int) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    add_sheet(
        wb,
        f"CIN census {year} checks",
        ["LA child ID", "Rule", "Message", "Detail"],
        ([f.la_child_id, f.rule.id, f.rule.message, f.detail] for f in findings),
    )
    return wb

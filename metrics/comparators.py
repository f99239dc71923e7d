"""Comparators: which reference values sit beside a KPI's value for a period, rates made
comparable with annual figures, and loading comparators from CSV.

Matching: a comparator of a quarter or a month shows only beside a period of that kind;
a year's comparator shows beside every period, because percentages, ratios and
positions at a date are comparable whatever the period's length, and a rate per 10,000
of a flow over part of a year is annualised (``annualised``) before it is compared.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from metrics import periods as P
from metrics.models import ComparatorKind, ComparatorPeriodKind, KpiComparator, default_label
from metrics.registry import BY_CODE, FLOW, RATE, KpiDefinition

PERIOD_KIND_OF = {P.MONTH: ComparatorPeriodKind.MONTH, P.QUARTER: ComparatorPeriodKind.QUARTER}
CSV_COLUMNS = ("kpi", "kind", "area", "period_kind", "period", "value", "source")
REQUIRED_COLUMNS = {"kpi", "kind", "period", "value"}
CSV_HEADER_INVALID = "The first line must name the columns: " + ", ".join(CSV_COLUMNS)
CSV_ROW_INVALID = "Line {line}: {problem}"
FOUR_DP = Decimal("0.0001")


def matches(comparator: KpiComparator, period: P.Period) -> bool:
    if comparator.period_kind == ComparatorPeriodKind.YEAR:
        return True
    return PERIOD_KIND_OF.get(period.kind) == comparator.period_kind


def for_period(comparators: list[KpiComparator], period: P.Period) -> list[KpiComparator]:
    return [c for c in comparators if matches(c, period)]


def annualised(kpi: KpiDefinition, period: P.Period, value: Decimal | None) -> Decimal | None:
    """A flow's rate per 10,000 over part of a year, scaled to 12 months; else None.

    (A month's referrals per 10,000 beside England's yearly rate read as a twelfth of
    it.) Positions at a date (stocks) and percentages need no scaling.
    """
    months = len(period.months())
    if value is None or kpi.unit != RATE or kpi.kind != FLOW or months >= 12:
        return None
    return (value * 12 / months).quantize(FOUR_DP)


def _row_problem(row: dict) -> tuple[str | None, dict]:
    kpi = (row.get("kpi") or "").strip()
    if kpi not in BY_CODE:
        return f"{kpi or 'an empty KPI code'} is not a KPI code", {}
    kind = (row.get("kind") or "").strip()
    if kind not in ComparatorKind.values:
        return f"kind must be one of {', '.join(ComparatorKind.values)}", {}
    period_kind = (row.get("period_kind") or ComparatorPeriodKind.YEAR).strip()
    if period_kind not in ComparatorPeriodKind.values:
        return f"period_kind must be one of {', '.join(ComparatorPeriodKind.values)}", {}
    area = (row.get("area") or "").strip()
    if kind in (ComparatorKind.REGION, ComparatorKind.AUTHORITY) and not area:
        return "name the region or authority in the area column", {}
    try:
        value = Decimal((row.get("value") or "").strip())
    except InvalidOperation:
        return f"value {row.get('value')!r} is not a number", {}
    if not value.is_finite() or abs(value) >= Decimal("1e8"):
        return f"value {row.get('value')!r} is not a number we can keep", {}
    period = (row.get("period") or "").strip()[:40]
    fields = {"kpi": kpi, "kind": kind, "area": area[:100], "period_kind": period_kind,
              "period": period, "value": value, "source": (row.get("source") or "").strip()[:200],
              "label": default_label(kind, area, period)}  # fmt: skip
    return None, fields


@transaction.atomic
def comparators_import_csv(text: str) -> int:
    """Create or update comparators from CSV text; all or nothing.

    Rows are matched on (kpi, label), the label being the area (or kind) and period, so
    importing next year's file adds rows and re-importing a file changes values in place.
    Raises ValidationError listing every bad line.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    names = {(name or "").strip() for name in reader.fieldnames or []}
    if not names >= REQUIRED_COLUMNS:
        raise ValidationError(CSV_HEADER_INVALID)
    problems, rows = [], []
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): v for k, v in row.items()}
        problem, fields = _row_problem(row)
        if problem:
            problems.append(CSV_ROW_INVALID.format(line=line, problem=problem))
        else:
            rows.append(fields)
    if problems:
        raise ValidationError(problems)
    for fields in rows:
        KpiComparator.objects.update_or_create(
            kpi=fields.pop("kpi"), label=fields.pop("label"), defaults=fields
        )
    return len(rows)

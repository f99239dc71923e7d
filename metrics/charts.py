"""Chart data for the KPI pages, taken from the rows the page's table shows."""

from __future__ import annotations

from metrics.registry import DAYS, PERCENT, RATE, RATIO, KpiDefinition

UNIT_LABELS = {PERCENT: "%", RATE: "per 10,000 children", RATIO: "children per worker",
               DAYS: "days (mean)"}  # fmt: skip


def trend_chart(kpi: KpiDefinition, trend_rows) -> dict:
    """Labels and values of the trend table, for json_script (gaps stay null)."""
    return {
        "label": kpi.title,
        "unit": UNIT_LABELS.get(kpi.unit, "count"),
        "labels": [month.name for month, _ in trend_rows],
        "values": [
            None if snap is None or snap.value is None else float(snap.value)
            for _, snap in trend_rows
        ],
    }

"""What a KPI definition is, and the words every definition is written in.

``metrics/registry.py`` and each app's ``kpi_definitions`` module (early help, workforce)
build their definitions from these, so an app's module needs nothing from the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics.kpis import flows, stocks

PERCENT, RATE, COUNT, RATIO = "percent", "rate", "count", "ratio"
DAYS = "days"  # a mean number of days (numerator: total days; denominator: events)
HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"
FLOW, STOCK, CASELOAD = "flow", "stock", "caseload"
# Computed by a function of the requested periods (KPIs kept by other apps).
PERIODS = "periods"
ALL_SCOPES = ("authority", "team", "worker")
AUTHORITY_ONLY = ("authority",)

IN_PERIOD = "Events dated in the period (month, quarter, year, year to date, rolling 12 months)."
AT_END = "Position on the last day of the period."
AT_SEPTEMBER = "Position on the latest 30 September on or before the period end (DfE census date)."


@dataclass(frozen=True)
class KpiDefinition:
    code: str
    title: str
    numerator: str
    denominator: str
    period_rule: str
    polarity: str
    unit: str
    source: str
    kind: str
    compute: object
    scopes: tuple[str, ...] = ALL_SCOPES
    version: int = 1
    notes: str = ""
    # A per-month table the KPI job rewrites with this KPI, for a page that breaks the KPI
    # down (``summary(start, end, run_at=...)``): the early help page's contacts by source.
    summary: object = None

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == HIGHER


def define(code, title, numerator, denominator, polarity, unit, source, **kw) -> KpiDefinition:
    kind = kw.pop("kind", FLOW)
    compute = kw.pop("compute", None) or getattr(flows if kind == FLOW else stocks, code, None)
    rule = kw.pop("period_rule", IN_PERIOD if kind == FLOW else AT_END)
    return KpiDefinition(
        code, title, numerator, denominator, rule, polarity, unit, source, kind, compute, **kw
    )

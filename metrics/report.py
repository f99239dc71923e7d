"""The quarterly performance report (seed 002, Appendix 2, with seed 000's tables).

Appendix 2's "process model": Inputs (the business coming in), Processes (how well the
service handles it) and Outputs (what it means for children). ``SECTIONS`` is the one
place that says which KPI belongs where. Each measure shows its numerator, denominator,
value and direction of travel from the previous quarter, for the previous financial
year (the baseline column), each quarter of the chosen year and the year as a whole.

The page and the XLSX are written from the same ``Table`` objects, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from metrics import periods as P
from metrics import report_breakdowns as RB
from metrics import report_selectors as RS
from metrics import selectors
from metrics.exports import Table
from metrics.models import ScopeType
from metrics.registry import BY_CODE, COUNT, PERCENT, RATE, RATIO, KpiDefinition

YEAR_INVALID = "Enter a financial year like FY2024-25"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    codes: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section("inputs", "Inputs", "The flow of business into children's social care.", (
        "contact_conversion", "rate_referrals_per_10k", "referrals_nfa",
        "referral_to_assessment", "rate_s47_per_10k",
        "referrals_to_s47", "strategy_discussions_to_s47", "rate_icpc_per_10k",
        "rate_assessments_per_10k",
    )),
    Section("processes", "Processes",
            "How efficiently and effectively the service manages that business.", (
        "contacts_screened_1wd", "assessments_45wd_from_referral", "assessments_45wd_dfe",
        "assessments_nfa", "s47_to_icpc", "icpc_15wd", "icpc_to_plan", "cp_reviews_in_time",
        "cp_visits_in_time", "caseload_per_worker", "caseload_dfe", "unallocated_cases",
        "first_core_group_10wd", "cp_visits_seen_alone",
    )),
    Section("outputs", "Outputs", "The impact on the children and young people involved.", (
        "rate_cin_per_10k", "rate_cp_per_10k", "rereferrals_12m", "cp_repeat_plans",
        "cp_repeat_plans_2y", "cp_ended_2y_plus", "cp_open_2y_plus", "cp_ended_under_3m",
        "cp_ended_by_first_review", "rate_cin_excl_cp_cla_per_10k",
    )),
)  # fmt: skip

SECTION_OF: dict[str, str] = {code: s.key for s in SECTIONS for code in s.codes}

NUMERATOR, DENOMINATOR, TRAVEL = "Numerator", "Denominator", "Direction of travel"
VALUE_LINE = {PERCENT: "%", RATE: "Rate per 10,000", RATIO: "Per worker", COUNT: "Number"}
ONE_DP = Decimal("0.1")


def parse_year(text: str) -> P.Period:
    """A financial year named like FY2024-25; raises PeriodError with YEAR_INVALID."""
    try:
        period = P.parse(text)
    except P.PeriodError:
        period = None
    if period is None or period.kind != P.FINANCIAL_YEAR:
        raise P.PeriodError(YEAR_INVALID)
    return period


def columns(year: P.Period) -> list[P.Period]:
    """Baseline (previous year), Q1..Q4 of the year, the whole year."""
    first = year.start.year
    return [P.financial_year(first - 1), *(P.quarter(first, q) for q in (1, 2, 3, 4)), year]


def _value(kpi: KpiDefinition, snap):
    if snap is None or snap.value is None:
        return None
    return snap.value.quantize(Decimal(1) if kpi.unit == COUNT else ONE_DP)


def _travel(kpi: KpiDefinition, snap, before) -> str | None:
    word, judgement = selectors._travel(
        snap.value if snap else None, before.value if before else None, kpi.polarity
    )
    if not word:
        return None
    return f"{word} ({judgement})" if judgement else word


def _measure_rows(kpi: KpiDefinition, cols: list[P.Period], found: dict) -> list[list]:
    snaps = [found.get((kpi.code, p.name)) for p in cols]
    # Each quarter against the one before it (Q1 against the baseline year's Q4); the
    # year against the baseline year; the baseline itself has nothing to compare with.
    q4_before = found.get((kpi.code, P.quarter(cols[0].start.year, 4).name))
    befores = [None, q4_before, *snaps[1:4], snaps[0]]
    return [
        [kpi.title, NUMERATOR, *(s.numerator if s else None for s in snaps), kpi.source],
        [kpi.title, DENOMINATOR, *(s.denominator if s else None for s in snaps), kpi.source],
        [kpi.title, VALUE_LINE[kpi.unit], *(_value(kpi, s) for s in snaps), kpi.source],
        [kpi.title, TRAVEL, None,
         *(_travel(kpi, s, b) for s, b in zip(snaps[1:], befores[1:], strict=True)),
         kpi.source],
    ]  # fmt: skip


def quarterly_report(year: P.Period) -> dict:
    """Every table of the report for a financial year, authority-wide.

    Queries: one for the snapshots of every KPI and column, two for the breakdowns by
    source and category, two for the section 47 table (snapshots, team names).
    """
    cols = columns(year)
    baseline_q4 = P.quarter(cols[0].start.year, 4)
    names = [p.name for p in cols] + [baseline_q4.name]
    found = {
        (s.kpi, s.period): s
        for s in selectors.snapshot_list(periods=names, scope_type=ScopeType.AUTHORITY)
    }
    header = ["Measure", "Line", *(p.name for p in cols), "Source"]
    sections = []
    for section in SECTIONS:
        measures = [
            (BY_CODE[code], _measure_rows(BY_CODE[code], cols, found)) for code in section.codes
        ]
        table = Table(section.title, header, [row for _, rows in measures for row in rows])
        sections.append({"section": section, "table": table, "measures": measures})
    return {
        "year": year,
        "columns": cols,
        "sections": sections,
        "breakdowns": breakdown_tables(year),
    }


def breakdown_tables(year: P.Period) -> list[Table]:
    sources = RS.referrals_by_source(year.start, year.end)
    total = sum(r["referrals"] for r in sources)
    nfa = sum(r["nfa"] for r in sources)
    categories = RS.plans_by_initial_category(year.start, year.end)
    plans = sum(r["plans"] for r in categories)
    s47 = RS.s47_to_icpc_by_team(year)
    return [
        Table(
            "Referrals by source",
            ["Code", "Source of referral", "Referrals", "% received", "Ended NFA", "% NFA"],
            [[r["code"], r["label"], r["referrals"], r["share"], r["nfa"], r["nfa_percent"]]
             for r in sources]
            + [["Total", "All sources", total, RS.percent(total, total), nfa,
                RS.percent(nfa, total)]],
        ),
        Table(
            "Category of abuse",
            ["Code", "Initial category of abuse", "Plans started", "%"],
            [[r["code"], r["label"], r["plans"], r["share"]] for r in categories]
            + [["Total", "All categories", plans, RS.percent(plans, plans)]],
        ),
        Table(
            "S47 to ICPC",
            ["Scope", "Section 47 enquiries ended", "Went to an initial conference", "%"],
            [[r["scope"], r["s47"], r["icpc"], r["percent"]] for r in s47],
        ),
        *further_breakdowns(year),
    ]  # fmt: skip


def further_breakdowns(year: P.Period) -> list[Table]:
    """Issue 23's breakdowns: one GROUP BY query each (four for the quarter-end stock)."""
    start, end = year.start, year.end
    contacts = RB.contacts_by_source(start, end)
    outcomes = RB.contact_outcomes(start, end)
    quarter_ends = [P.quarter(start.year, q).end for q in (1, 2, 3, 4)]
    on_plans = [RB.children_on_plans_by_category(at) for at in quarter_ends]

    def bands(title, what, rows):
        return Table(
            title, ["Working days", what, "%"], [[r["band"], r["count"], r["share"]] for r in rows]
        )

    return [
        Table("Contacts by source",
              ["Code", "Source of contact", "Children on contacts", "% received",
               "Became referrals", "% progressed"],
              [[r["code"], r["label"], r["children"], r["share"], r["progressed"],
                r["progressed_percent"]] for r in contacts]),
        Table("Contact outcomes", ["Code", "Screening decision", "Children", "%"],
              [[r["code"], r["label"], r["children"], r["share"]] for r in outcomes]),
        bands("Assessment working days", "Assessments authorised (from referral)",
              RB.assessment_days(start, end)),
        bands("ICPC working days", "Initial conferences (from strategy discussion)",
              RB.icpc_days(start, end)),
        Table("Repeat plans by time since last",
              ["Time since the previous plan ended", "Plans started", "%"],
              [[r["band"], r["count"], r["share"]] for r in
               RB.repeat_plans_by_time_since_last(start, end)]),
        Table("On a plan by current category",
              ["Code", "Current category of abuse",
               *(f"Children at {at:%d/%m/%Y}" for at in quarter_ends)],
              [[row["code"], row["label"], *(q[i]["children"] for q in on_plans)]
               for i, row in enumerate(on_plans[0])]),
    ]  # fmt: skip


def report_tables(report: dict) -> list[Table]:
    """Every table of the report in page order (the XLSX has one sheet per table)."""
    return [s["table"] for s in report["sections"]] + report["breakdowns"]

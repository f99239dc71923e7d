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

from django.utils import timezone

from metrics import periods as P
from metrics import report_breakdowns as RB
from metrics import report_selectors as RS
from metrics import selectors
from metrics.exports import Table
from metrics.models import ComparatorPeriodKind, KpiComparator, KpiTarget, ScopeType
from metrics.registry import BY_CODE, COUNT, DAYS, FLOW, PERCENT, RATE, RATIO, KpiDefinition

YEAR_INVALID = (
    "Enter a financial year like FY2024-25, a rolling year like R12-2025-03, or months "
    "like 2024-04, 2024-05, 2024-06"
)
CUSTOM = "custom"
MAX_CUSTOM_MONTHS = 24


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
        "contacts_by_source", "contacts_open_early_help", "early_help_assessments",
        "rate_early_help_per_10k", "stepdown_to_early_help",
        # The workforce (issue 21): seed 002 reports staffing as an input.
        "agency_rate", "vacancy_rate", "turnover_rate_12m", "absence_rate",
        "newly_qualified_share", "span_of_control", "workers_over_caseload_threshold",
        "supervision_in_time", "audits_good_or_better",
    )),
    Section("processes", "Processes",
            "How efficiently and effectively the service manages that business.", (
        "contacts_screened_1wd", "assessments_45wd_from_referral", "assessments_45wd_dfe",
        "assessments_nfa", "s47_to_icpc", "icpc_15wd", "icpc_to_plan", "cp_reviews_in_time",
        "cp_visits_in_time", "caseload_per_worker", "caseload_dfe", "unallocated_cases",
        "contacts_screened_in_standard",
        "first_core_group_10wd", "cp_visits_seen_alone",
    )),
    Section("outputs", "Outputs", "The impact on the children and young people involved.", (
        "rate_cin_per_10k", "rate_cp_per_10k", "rereferrals_12m", "cp_repeat_plans",
        "cp_repeat_plans_2y", "cp_ended_2y_plus", "cp_open_2y_plus", "cp_ended_under_3m",
        "cp_ended_by_first_review", "rate_cin_excl_cp_cla_per_10k",
        "early_help_closed_needs_met", "early_help_stepped_up_12m",
    )),
    Section("care", "Children in care", "Children looked after: numbers, stability, reviews, "
            "visits, health, education and missing episodes; permanence, adoption timeliness "
            "and care leavers.", (
        "cla_count", "rate_cla_per_10k", "cla_started", "cla_ceased", "cla_placements_3plus",
        "cla_long_term_stability", "cla_reviews_in_time", "cla_visits_in_time",
        "cla_health_assessments_in_time", "cla_dental_checks", "cla_pep_in_time",
        "cla_missing_episodes", "cla_ceased_permanence", "adoption_a1_days", "adoption_a2_days",
        "care_leavers_in_touch", "care_leavers_eet_17_18", "care_leavers_eet_19_21",
        "care_leavers_suitable_accommodation_19_21",
    )),
)  # fmt: skip

SECTION_OF: dict[str, str] = {code: s.key for s in SECTIONS for code in s.codes}

NUMERATOR, DENOMINATOR, TRAVEL = "Numerator", "Denominator", "Direction of travel"
TARGET = "Target"
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
VALUE_LINE = {PERCENT: "%", RATE: "Rate per 10,000", RATIO: "Per worker", COUNT: "Number",
              DAYS: "Days (mean)"}  # fmt: skip
ONE_DP = Decimal("0.1")


def parse_year(text: str) -> P.Period:
    """A financial year named like FY2024-25; raises PeriodError with YEAR_INVALID."""
    spec = parse_report(text)
    if spec.whole.kind != P.FINANCIAL_YEAR:
        raise P.PeriodError(YEAR_INVALID)
    return spec.whole


def columns(year: P.Period) -> list[P.Period]:
    """Baseline (previous year), Q1..Q4 of the year, the whole year."""
    first = year.start.year
    return [P.financial_year(first - 1), *(P.quarter(first, q) for q in (1, 2, 3, 4)), year]


@dataclass(frozen=True)
class ReportSpec:
    """What a report covers: its columns, the column each is compared with (direction of
    travel), and the columns summed from monthly snapshots (not stored as a period)."""

    name: str
    whole: P.Period
    columns: list[P.Period]
    befores: list[str | None]
    aggregates: dict[str, list[str]]

    @property
    def link_period(self) -> str:
        """A stored period the KPI pages can show for this report."""
        return self.whole.name if self.whole.kind != CUSTOM else self.columns[-2].name


def _months_column(months: list[P.Period], name: str | None = None) -> P.Period:
    label = name or f"{months[0].start:%b %Y} to {months[-1].start:%b %Y}"
    return P.Period(months[0].start, months[-1].end, CUSTOM, label)


def _fy_spec(year: P.Period) -> ReportSpec:
    cols = columns(year)
    # Each quarter against the one before it (Q1 against the baseline year's Q4); the
    # year against the baseline year; the baseline itself has nothing to compare with.
    q4_before = P.quarter(cols[0].start.year, 4).name
    befores = [None, q4_before, *(c.name for c in cols[1:4]), cols[0].name]
    return ReportSpec(year.name, year, cols, befores, {})


def _rolling_spec(year: P.Period) -> ReportSpec:
    months = [P.month(m) for m in year.months()]
    blocks = [_months_column(months[i : i + 3]) for i in (0, 3, 6, 9)]
    baseline = P.rolling_12(P.add_months(year.end.replace(day=1), -12))
    aggregates = {b.name: [m.name for m in months[i:i + 3]]
                  for b, i in zip(blocks, (0, 3, 6, 9), strict=True)}  # fmt: skip
    befores = [None, None, *(b.name for b in blocks[:3]), baseline.name]
    return ReportSpec(year.name, year, [baseline, *blocks, year], befores, aggregates)


def _custom_spec(text: str) -> ReportSpec:
    months = sorted({P.parse(part) for part in text.split(",") if part.strip()})
    if not months or len(months) > MAX_CUSTOM_MONTHS or any(m.kind != P.MONTH for m in months):
        raise P.PeriodError(YEAR_INVALID)
    total = _months_column(months, "Selected months")
    name = ",".join(m.name for m in months)
    befores = [None, *(m.name for m in months[:-1]), None]
    whole = P.Period(months[0].start, months[-1].end, CUSTOM, name)
    return ReportSpec(
        name, whole, [*months, total], befores, {total.name: [m.name for m in months]}
    )


def parse_report(text: str) -> ReportSpec:
    """A financial year, a rolling year or a set of months; PeriodError otherwise."""
    text = (text or "").strip()
    try:
        if "," in text or P.parse(text).kind == P.MONTH:
            return _custom_spec(text)
        period = P.parse(text)
    except P.PeriodError:
        raise P.PeriodError(YEAR_INVALID) from None
    if period.kind == P.FINANCIAL_YEAR:
        return _fy_spec(period)
    if period.kind == P.ROLLING_12:
        return _rolling_spec(period)
    raise P.PeriodError(YEAR_INVALID)


@dataclass(frozen=True)
class Combined:
    """A figure summed from monthly snapshots, read like a snapshot."""

    numerator: Decimal
    denominator: Decimal
    value: Decimal | None


def combine(kpi: KpiDefinition, monthly: list) -> Combined | None:
    """Flows add up month by month (a rate's denominator is the population, not a sum);
    a position at a date is the last month's."""
    from metrics.services import _value as ratio

    present = [s for s in monthly if s is not None]
    if not present:
        return None
    if kpi.kind != FLOW:
        last = monthly[-1]
        return None if last is None else Combined(last.numerator, last.denominator, last.value)
    num = sum((s.numerator for s in present), Decimal(0))
    den = present[-1].denominator if kpi.unit == RATE else sum(
        (s.denominator for s in present), Decimal(0))  # fmt: skip
    return Combined(num, den, ratio(kpi.unit, num, den))


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


def _measure_rows(kpi: KpiDefinition, spec: ReportSpec, found: dict, extras=None) -> list[list]:
    snaps = [found.get((kpi.code, p.name)) for p in spec.columns]
    befores = [found.get((kpi.code, name)) if name else None for name in spec.befores]
    rows = [
        [kpi.title, NUMERATOR, *(s.numerator if s else None for s in snaps), kpi.source],
        [kpi.title, DENOMINATOR, *(s.denominator if s else None for s in snaps), kpi.source],
        [kpi.title, VALUE_LINE[kpi.unit], *(_value(kpi, s) for s in snaps), kpi.source],
        [kpi.title, TRAVEL, None,
         *(_travel(kpi, s, b) for s, b in zip(snaps[1:], befores[1:], strict=True)),
         kpi.source],
    ]  # fmt: skip
    target = (extras or {}).get("targets", {}).get(kpi.code)
    if target is not None:
        rags = [selectors._rag(s.value if s else None, target, kpi.polarity) for s in snaps]
        rows.append([kpi.title, f"{TARGET} {target.value.normalize():f}",
                     *(RAG_WORDS.get(r) for r in rags), kpi.source])  # fmt: skip
    for comparator in (extras or {}).get("comparators", {}).get(kpi.code, []):
        # Shown in the whole-period column: a year's figure beside a year (a custom set
        # of months is not a year, so a rate over it is not compared).
        if spec.whole.kind == CUSTOM and kpi.kind == FLOW and kpi.unit == RATE:
            continue
        blanks = [None] * (len(spec.columns) - 1)
        where = f"; {comparator.source}" if comparator.source else ""
        rows.append([kpi.title, f"{comparator.label} ({comparator.get_kind_display()}{where})",
                     *blanks, comparator.value, kpi.source])  # fmt: skip
    return rows


def _snapshots(spec: ReportSpec) -> dict:
    """{(kpi, column name): snapshot or Combined}: one query for every column."""
    months = {m for names in spec.aggregates.values() for m in names}
    names = {p.name for p in spec.columns} | {n for n in spec.befores if n} | months
    found = {
        (s.kpi, s.period): s
        for s in selectors.snapshot_list(periods=sorted(names), scope_type=ScopeType.AUTHORITY)
    }
    for column, parts in spec.aggregates.items():
        for kpi in BY_CODE.values():
            found[(kpi.code, column)] = combine(kpi, [found.get((kpi.code, m)) for m in parts])
    return found


def quarterly_report(year: P.Period | ReportSpec) -> dict:
    """Every table of the report for a financial year, a rolling year or chosen months,
    authority-wide.

    Queries: one for the snapshots of every KPI and column, two for the breakdowns by
    source and category, two for the section 47 table (snapshots, team names).
    """
    spec = year if isinstance(year, ReportSpec) else _fy_spec(year)
    found = _snapshots(spec)
    extras = {"targets": {t.kpi: t for t in KpiTarget.objects.all()}, "comparators": {}}
    for comparator in KpiComparator.objects.filter(period_kind=ComparatorPeriodKind.YEAR):
        extras["comparators"].setdefault(comparator.kpi, []).append(comparator)
    header = ["Measure", "Line", *(p.name for p in spec.columns), "Source"]
    sections = []
    for section in SECTIONS:
        measures = [
            (BY_CODE[code], _measure_rows(BY_CODE[code], spec, found, extras))
            for code in section.codes
        ]
        table = Table(section.title, header, [row for _, rows in measures for row in rows])
        sections.append({"section": section, "table": table, "measures": measures})
    return {
        "sparklines": sparklines(spec.whole.end),
        "year": spec.whole,
        "spec": spec,
        "columns": spec.columns,
        "sections": sections,
        "breakdowns": breakdown_tables(spec.whole),
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
    if year.kind == P.FINANCIAL_YEAR:
        quarter_ends = [P.quarter(start.year, q).end for q in (1, 2, 3, 4)]
    else:  # every third month back from the end, within the period
        last = end.replace(day=1)
        quarter_ends = [P.month_end(P.add_months(last, -3 * i)) for i in (3, 2, 1, 0)]
        quarter_ends = [day for day in quarter_ends if day >= start]
    on_plans = [RB.children_on_plans_by_category(at) for at in quarter_ends]

    def bands(title, what, rows):
        return Table(
            title, ["Working days", what, "%"], [[r["band"], r["count"], r["share"]] for r in rows]
        )

    return [
        Table("Contacts by source",
              ["Code", "Source of contact", "Children on contacts", "% received",
               "Progressed (referral or early help)", "% progressed"],
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
              ["Code", "Category of abuse in force (plan history)",
               *(f"Children at {at:%d/%m/%Y}" for at in quarter_ends)],
              [[row["code"], row["label"], *(q[i]["children"] for q in on_plans)]
               for i, row in enumerate(on_plans[0])]),
    ]  # fmt: skip


def report_tables(report: dict) -> list[Table]:
    """Every table of the report in page order (the XLSX has one sheet per table)."""
    return [s["table"] for s in report["sections"]] + report["breakdowns"]


def commentary_tables(notes: dict) -> list[Table]:
    """The commentary as one more sheet of the XLSX (none when nothing is written)."""
    rows = [
        [section.title, BY_CODE[kpi].title if kpi else "(section)", note.text,
         str(note.written_by or ""), f"{timezone.localtime(note.written_at):%d/%m/%Y %H:%M}"]
        for section in SECTIONS for (key, kpi), note in sorted(notes.items())
        if key == section.key and note.text
    ]  # fmt: skip
    if not rows:
        return []
    return [Table("Commentary", ["Section", "Line", "Commentary", "Written by", "Written at"],
                  rows)]  # fmt: skip


SPARK_MONTHS = 12


def sparklines(end) -> dict[str, list]:
    """{kpi: the values of the 12 months to ``end``} for each line's trend: one query."""
    last = end.replace(day=1)
    months = [P.month(P.add_months(last, -i)).name for i in reversed(range(SPARK_MONTHS))]
    found = {(s.kpi, s.period): s.value for s in selectors.snapshot_list(
        periods=months, scope_type=ScopeType.AUTHORITY)}  # fmt: skip
    return {code: [found.get((code, m)) for m in months] for code in BY_CODE}


def partial_columns(spec: ReportSpec) -> list[tuple[str, str]]:
    """(column, reason) for each column the recorded data does not fully cover; contacts
    and the case records can start at different dates, so each is named."""
    from metrics.coverage import CONTACT_KPIS, data_coverage

    coverage = data_coverage()
    contact_code = next(iter(sorted(CONTACT_KPIS)))
    out = []
    for column in spec.columns:
        reasons = {coverage.partial_reason("s47_to_icpc", column),
                   coverage.partial_reason(contact_code, column)} - {None}  # fmt: skip
        if reasons:
            out.append((column.name, "; ".join(sorted(reasons))))
    return out

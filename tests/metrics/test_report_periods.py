"""Issue 23's report: the same figures as the dashboard, any financial year, a rolling
year or chosen months, targets with RAG and comparators."""

from decimal import Decimal

import pytest

from metrics import periods as P
from metrics import report, selectors, services
from metrics.models import KpiSnapshot, KpiTarget
from metrics.registry import BY_CODE
from tests.metrics.report_data import TODAY, YEAR, build_year

pytestmark = pytest.mark.django_db


def test_the_fy2024_25_report_matches_the_dashboard_line_by_line(hos):
    build_year()
    dashboard = {r["kpi"].code: r for r in hos.get(f"/kpis/?period={YEAR.name}").context["rows"]}
    data = report.quarterly_report(YEAR)
    compared = 0
    for part in data["sections"]:
        for kpi, rows in part["measures"]:
            year_column = {row[1]: row[-2] for row in rows}
            shown = dashboard[kpi.code]
            snap = shown["snapshot"]
            assert year_column["Numerator"] == (snap.numerator if snap else None), kpi.code
            assert year_column["Denominator"] == (snap.denominator if snap else None), kpi.code
            value = year_column[report.VALUE_LINE[kpi.unit]]
            expected = None if shown["value"] is None else report._value(kpi, snap)
            assert value == expected, kpi.code
            compared += 1
    assert compared == len(BY_CODE)


def test_chosen_months_add_up_to_the_quarter_and_a_rolling_year_has_four_blocks(hos):
    build_year()
    months = [P.parse(n) for n in ("2024-04", "2024-05", "2024-06")]
    services.kpi_snapshots_compute(periods=[*months, P.parse("R12-2025-03"),
                                            P.parse("R12-2024-03")], today=TODAY)  # fmt: skip
    spec = report.parse_report("2024-06, 2024-04,2024-05")
    assert [c.name for c in spec.columns] == ["2024-04", "2024-05", "2024-06", "Selected months"]
    data = report.quarterly_report(spec)
    for part in data["sections"]:
        for kpi, rows in part["measures"]:
            quarter = KpiSnapshot.objects.filter(kpi=kpi.code, period="2024-Q1",
                                                 scope_type="authority").first()  # fmt: skip
            total = {row[1]: row[-2] for row in rows}
            if kpi.kind == "caseload":
                continue  # the DfE caseload is taken at 30 September in both
            assert total["Numerator"] == (quarter.numerator if quarter else None), kpi.code
            assert total["Denominator"] == (quarter.denominator if quarter else None), kpi.code
    rolling = report.parse_report("R12-2025-03")
    assert [c.name for c in rolling.columns] == [
        "R12-2024-03", "Apr 2024 to Jun 2024", "Jul 2024 to Sep 2024", "Oct 2024 to Dec 2024",
        "Jan 2025 to Mar 2025", "R12-2025-03"]  # fmt: skip
    page = hos.get("/kpis/report/?year=2024-04,2024-05,2024-06")
    assert page.status_code == 200 and "Selected months" in page.content.decode()
    assert hos.get("/kpis/report/?year=R12-2025-03").status_code == 200
    assert report.YEAR_INVALID in hos.get("/kpis/report/?year=2024-04,2024-Q2").content.decode()


def test_a_target_adds_a_rag_line_and_england_sits_beside_the_year(hos):
    build_year()
    KpiTarget.objects.create(kpi="referrals_nfa", value=Decimal("30"),
                             amber_threshold=Decimal("45"))  # fmt: skip
    data = report.quarterly_report(YEAR)
    inputs = {kpi.code: rows for kpi, rows in data["sections"][0]["measures"]}
    lines = {row[1]: row[2:-1] for row in inputs["referrals_nfa"]}
    # Lower is better: Q1 50% red, Q2 0% green, Q3 100% red, Q4 0% green, year 40% amber.
    assert lines["Target 30"] == [None, "Red", "Green", "Red", "Green", "Amber"]
    rates = {row[1]: row[2:-1] for row in inputs["rate_referrals_per_10k"]}
    england = next(v for k, v in rates.items() if k.startswith("England 2024-25"))
    assert england == [None] * 5 + [Decimal("520")]
    assert selectors._rag(Decimal("40"), KpiTarget.objects.get(), "lower") == "amber"


def test_columns_before_the_data_starts_are_named_partial_with_the_reason(hos):
    build_year()
    page = hos.get(f"/kpis/report/?year={YEAR.name}")
    partial = dict(page.context["partial_columns"])
    assert "FY2023-24" in partial and "has no data" in partial["FY2023-24"]
    assert partial["2024-Q2"] == "No contacts are recorded yet"  # no contacts built
    assert 'id="partial-columns"' in page.content.decode()


def test_each_line_has_a_sparkline_of_its_12_months(hos):
    from metrics.templatetags.kpi_tables import sparkline

    svg = sparkline([None, Decimal("10"), Decimal("20"), None, Decimal("15")])
    points = svg.split('points="')[1].split('"')[0].split()
    assert points == ["18.0,17.0", "36.0,1.0", "72.0,9.0"]  # a gap, not a zero, for None
    assert 'role="img"' in svg and "from 10 to 15" in svg
    assert sparkline([None, Decimal("3")]) == ""  # one point is not a trend
    build_year()
    months = [P.month(day) for day in YEAR.months()]
    services.kpi_snapshots_compute(periods=months, codes=["referrals_nfa"], today=TODAY)
    page = hos.get(f"/kpis/report/?year={YEAR.name}")
    assert sum(v is not None for v in page.context["sparklines"]["referrals_nfa"]) >= 2
    body = page.content.decode()
    block = body[body.index('id="report-referrals_nfa"') :]
    assert 'class="cf-sparkline"' in block[: block.index("</tbody>")]

"""Every KPI table's XLSX download has the CSV's cells; the trend chart has the table's data."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role, User
from casework.models import Child
from metrics import exports, services
from metrics import periods as P
from metrics.models import KpiSnapshot
from tests.metrics.conftest import TODAY
from tests.metrics.report_data import YEAR, build_year
from tests.metrics.tables import csv_rows, html_tables, xlsx_sheets

pytestmark = pytest.mark.django_db
Q = f"period={YEAR.name}"
TABLES = {
    "dashboard": f"/kpis/?{Q}",
    "trend": f"/kpis/referrals_nfa/?{Q}",
    "team breakdown": f"/kpis/referrals_nfa/?{Q}&table=teams",
    "drill-down": f"/kpis/referrals_nfa/denominator/?{Q}",
}


@pytest.fixture
def hos(client):
    client.force_login(User.objects.create_user(username="hos", role=Role.HEAD_OF_SERVICE))
    build_year(2)
    months = [P.month(day) for day in YEAR.months()]
    services.kpi_snapshots_compute(periods=months, codes=["referrals_nfa"], today=TODAY)
    return client


def test_values_are_written_without_exponents_or_trailing_zeros():
    assert exports.text(Decimal("100.0000")) == "100"
    assert exports.text(Decimal("33.3300")) == "33.33"
    assert exports.text(None) == ""
    assert exports.text(date(2024, 2, 29)) == "2024-02-29"
    assert exports.cell(Decimal("6.00")) == 6 and isinstance(exports.cell(Decimal("6.00")), int)
    assert exports.cell(Decimal("33.3")) == 33.3


@pytest.mark.parametrize("name", list(TABLES))
def test_each_kpi_tables_xlsx_has_the_same_cells_as_its_csv(hos, name):
    url = TABLES[name]
    page = hos.get(url).content.decode()
    for fmt in ("csv", "xlsx"):  # the page links to both downloads
        assert re.search(rf"format={fmt}\"", page), (name, fmt)
    as_csv = hos.get(f"{url}&format=csv")
    as_xlsx = hos.get(f"{url}&format=xlsx")
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_xlsx["Content-Disposition"].endswith('.xlsx"')
    (sheet,) = xlsx_sheets(as_xlsx.content).values()
    rows = csv_rows(as_csv.content)
    assert len(rows) > 1
    assert sheet == rows


def test_the_downloads_carry_the_snapshot_figures(hos):
    snap = KpiSnapshot.objects.get(kpi="referrals_nfa", period=YEAR.name, scope_type="authority")
    (dashboard,) = xlsx_sheets(hos.get(f"{TABLES['dashboard']}&format=xlsx").content).values()
    row = next(r for r in dashboard if r[0] == "referrals_nfa")
    assert row[4:7] == ["4", "10", "40"] == [exports.text(snap.numerator),
                                             exports.text(snap.denominator),
                                             exports.text(snap.value)]  # fmt: skip
    (teams,) = xlsx_sheets(hos.get(f"{TABLES['team breakdown']}&format=xlsx").content).values()
    assert [r[3:5] for r in teams[1:]] == [["2", "5"], ["2", "5"]]  # team_id, team, period first
    (drill,) = xlsx_sheets(hos.get(f"{TABLES['drill-down']}&format=xlsx").content).values()
    assert len(drill) - 1 == int(snap.denominator)


@pytest.mark.parametrize("typed", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text(hos, typed):
    drill = TABLES["drill-down"]
    child = Child.objects.filter(referrals__isnull=False).order_by("pk").first()
    Child.objects.filter(pk=child.pk).update(first_name=typed)
    rows = csv_rows(hos.get(f"{drill}&format=csv").content)
    (sheet,) = xlsx_sheets(hos.get(f"{drill}&format=xlsx").content).values()
    for found in (rows, sheet):
        names = [row[1] for row in found[1:]]
        assert f"'{typed} {child.last_name}" in names
        assert not any(name.startswith(exports.FORMULA_STARTS) for name in names)
    # A figure is a number, not text: a negative one is left as it is.
    assert exports.safe(Decimal("-1.5")) == Decimal("-1.5") and exports.safe(-2) == -2
    assert exports.safe("-") == "-"  # the census code of a contact awaiting a decision


def test_the_trend_chart_has_the_same_data_as_the_trend_table(hos):
    response = hos.get(TABLES["trend"])
    page = response.content.decode()
    assert '<canvas id="kpi-trend-chart" role="img"' in page
    assert "chartjs/chart.umd.min.js" in page and "metrics/kpi-trend.js" in page
    raw = re.search(r'<script id="kpi-trend-data" type="application/json">(.*?)</script>', page)
    chart = json.loads(raw.group(1))
    table = next(t for t in html_tables(page) if t[0][0] == "Month")[1:]
    months = [P.month(day).name for day in YEAR.months()]
    assert chart["labels"] == [row[0] for row in table] == months
    shown = [None if row[-1] in ("–", "No data") else float(row[-1]) for row in table]
    assert chart["values"] == shown
    assert chart["values"][1] == 100.0  # May 2024: each team's one referral ended NFA
    assert chart["unit"] == "%"

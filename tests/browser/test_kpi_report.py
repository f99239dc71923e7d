"""The KPI trend chart and the quarterly report in headless Chromium: the chart draws
under the CSP from its json_script data, and both pages have no axe-core violations."""

import pytest

from accounts.models import Role
from metrics import periods as P
from metrics import services
from tests.browser.test_daily_work import _sign_in
from tests.metrics.conftest import TODAY
from tests.metrics.report_data import YEAR, build_year
from tests.support.browser import axe_violations
from tests.ui import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def henry(db):
    made = build_year(2)
    months = [P.month(day) for day in YEAR.months()]
    services.kpi_snapshots_compute(periods=months, codes=["referrals_nfa"], today=TODAY)
    return builders.user_with_worker("henry", Role.HEAD_OF_SERVICE, made["teams"][0])


def test_the_kpi_page_draws_its_trend_chart_and_is_accessible(live_server, page, henry):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    _sign_in(page, live_server, henry)
    page.goto(f"{live_server.url}/kpis/referrals_nfa/?period={YEAR.name}")
    page.wait_for_selector("canvas#kpi-trend-chart[data-rendered=true]")
    box = page.locator("#kpi-trend-chart").bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    points = page.evaluate("Chart.getChart('kpi-trend-chart').data.datasets[0].data")
    assert len(points) == 12 and points[1] == 100
    assert errors == []  # no script refused by the CSP
    assert axe_violations(page) == []


def test_the_quarterly_report_is_accessible_and_prints_without_navigation(live_server, page, henry):
    _sign_in(page, live_server, henry)
    page.goto(f"{live_server.url}/kpis/report/?year={YEAR.name}")
    assert page.locator("h1").inner_text().endswith(YEAR.name)
    assert page.locator("#report-referrals_nfa th[scope=rowgroup]").count() == 1
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    assert not page.locator(".govuk-header").is_visible()
    assert not page.locator("form.cf-no-print").is_visible()
    assert page.locator("#report-outputs").is_visible()
    page.goto(f"{live_server.url}/kpis/report/?year=2024-Q1")
    assert "Enter a financial year" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

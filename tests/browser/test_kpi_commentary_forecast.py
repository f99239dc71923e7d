"""Issue 23's new pages in headless Chromium with axe-core: the report commentary form,
the report showing it, and a KPI page with comparators and the forecast."""

from decimal import Decimal

import pytest

from accounts.models import Role
from metrics.models import KpiComparator
from tests.browser.test_daily_work import _sign_in
from tests.metrics.report_data import YEAR, build_year
from tests.support.browser import axe_violations
from tests.ui import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def henry(db):
    made = build_year(1)
    # A transactional test starts from an empty table: the migration's England seed is gone.
    KpiComparator.objects.update_or_create(
        kpi="icpc_15wd", label="England 2024-25",
        defaults={"period": "2024-25", "value": Decimal("81.4"), "source": "DfE CIN 2025"},
    )  # fmt: skip
    return builders.user_with_worker("henry", Role.HEAD_OF_SERVICE, made["teams"][0])


def test_commentary_is_written_and_printed_with_the_report(live_server, page, henry):
    _sign_in(page, live_server, henry)
    page.goto(f"{live_server.url}/kpis/report/commentary/?year={YEAR.name}")
    assert axe_violations(page) == []
    page.fill("#c-processes", "Assessment timeliness held up through the winter.")
    page.fill("#c-processes-icpc_15wd", "Two late conferences followed chair sickness.")
    page.click("button:has-text('Save commentary')")
    page.wait_for_selector("#commentary-processes")
    assert "held up through the winter" in page.locator("#commentary-processes").inner_text()
    lines = page.locator("#line-commentary-processes").inner_text()
    assert "chair sickness" in lines
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    assert page.locator("#commentary-processes").is_visible()


def test_a_kpi_page_with_comparators_and_a_forecast_is_accessible(live_server, page, henry):
    _sign_in(page, live_server, henry)
    page.goto(f"{live_server.url}/kpis/icpc_15wd/?period={YEAR.name}")
    assert "England 2024-25" in page.locator("#comparators + .cf-table-wrapper table").inner_text()
    assert page.locator("#forecast").is_visible()
    assert axe_violations(page) == []

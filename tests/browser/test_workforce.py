"""Workforce in headless Chromium (issue 21 acceptance): a team manager records a new
starter into a vacant post, a case supervision and an audit; after the KPI job runs the
workforce page and the KPIs show the change. Every page passes axe-core."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from metrics import periods as P
from metrics.models import KpiSnapshot
from metrics.tasks import compute_kpis_for_periods
from tests.browser.test_daily_work import _sign_in
from tests.support.browser import axe_violations
from tests.ui import builders
from tests.workforce import builders as w
from workforce.codes import AUDIT_QUESTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _value(code: str, month: str, team) -> float | None:
    snap = KpiSnapshot.objects.filter(kpi=code, period=month, scope_type="team", scope_id=team.pk)
    return None if not snap.exists() else float(snap.get().value)


def test_a_manager_fills_a_vacancy_supervises_and_audits_then_the_kpis_follow(live_server, page):
    builders.authority()
    team = builders.team("Assessment 1")
    alice = builders.user_with_worker("alice", Role.SOCIAL_WORKER, team)
    mary = builders.user_with_worker("mary", Role.TEAM_MANAGER, team)
    child = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))[0].child
    w.post(team, mary, valid_from=date(2024, 4, 1))  # the vacancy
    month = P.month(timezone.localdate()).name
    compute_kpis_for_periods.apply(args=[[month]])  # the job, run here
    assert _value("vacancy_rate", month, team) == 100

    _sign_in(page, live_server, mary)
    page.goto(f"{live_server.url}/workforce/")
    vacancy = page.locator("tbody tr").first.locator("[data-measure=vacancy_rate]")
    assert vacancy.inner_text() == "100.0%"
    assert axe_violations(page) == []
    page.click(f"text={team.name}")
    # expect() waits for the team page; count() would read the page the click left (CI saw 0)
    expect(page.locator("strong.govuk-tag--red")).to_have_count(1)
    assert axe_violations(page) == []
    page.click("text=Record a starter")
    page.fill("#id_first_name", "Sam")
    page.fill("#id_last_name", "Starter")
    page.fill("#id_fte", "1.00")
    page.fill("#id_swe_registration", "SW123456")  # a social worker's post
    page.check("input[name=employment][value=permanent]")
    page.check("input[name=newly_qualified][value=yes]")
    assert axe_violations(page) == []
    page.click("button[type=submit]")
    assert page.locator(".govuk-notification-banner").inner_text().endswith("Starter recorded")
    expect(page.locator("strong.govuk-tag--red")).to_have_count(0)

    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.click("text=Record case supervision")
    page.fill("#id_decisions", "Visit within 10 working days; update the plan")
    assert axe_violations(page) == []
    page.click("button[type=submit]")
    assert (
        "Visit within 10 working days"
        in page.get_by_role("table", name="Latest case supervision").inner_text()
    )

    page.click("text=Audit this case file")
    for key, _, _ in AUDIT_QUESTIONS:
        page.select_option(f"#id_q_{key}", "good")
    page.select_option("#id_grade", "good")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert child.full_name in page.locator("table").last.inner_text()
    assert axe_violations(page) == []

    compute_kpis_for_periods.apply(args=[[month]])  # the job, run here
    assert _value("vacancy_rate", month, team) == 0
    assert _value("newly_qualified_share", month, team) == 100
    assert _value("supervision_in_time", month, team) == 100
    assert _value("audits_good_or_better", month, team) == 100
    page.goto(f"{live_server.url}/workforce/")
    assert (
        page.locator("tbody tr").first.locator("[data-measure=vacancy_rate]").inner_text() == "0.0%"
    )
    page.goto(f"{live_server.url}/kpis/vacancy_rate/?period={month}")
    assert "Social worker vacancies" in page.locator("h1").inner_text()
    assert axe_violations(page) == []

"""Children in care in headless Chromium: a child on a CP plan becomes looked after, gets a
placement, a visit and a first review, all recorded by the social worker through the
forms (each passing axe); after the KPI job runs the figures are on the KPI page."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from care.models import CarePeriod, CareReview, CareVisit
from casework.models import ChildProtectionPlan
from metrics import periods as P
from metrics.tasks import compute_all_kpis
from tests.browser.test_daily_work import _fill_date, _save_and_expect, _sign_in
from tests.support.browser import axe_violations, shows
from tests.ui import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_child_on_a_plan_becomes_looked_after_and_shows_in_the_kpis(live_server, page, db):
    builders.authority()
    team = builders.team("Safeguarding 1")
    sw = builders.user_with_worker("sw", Role.SOCIAL_WORKER, team)
    hos = builders.user_with_worker("hos", Role.HEAD_OF_SERVICE, team)
    today = timezone.localdate()
    referrals = builders.caseload(sw.worker, 1, referred_on=today - timedelta(days=70))
    builders.s47s(referrals, held_on=today - timedelta(days=40))
    builders.cp_plans(referrals, icpc_on=today - timedelta(days=30))
    child = referrals[0].child
    child_url = f"{live_server.url}/children/{child.pk}/"

    _sign_in(page, live_server, sw)
    page.goto(child_url)
    assert axe_violations(page) == []
    page.click("a:has-text('Record the child becoming looked after')")
    _fill_date(page, "started_on", today)
    page.select_option("#id_legal_status", "C1")
    page.select_option("#id_category_of_need", "N1")
    page.select_option("#id_place", "U6")
    page.check("input[name=long_term][value=no]")
    page.check("input[name=uasc][value=no]")
    page.click("button:has-text('Save')")  # no provider or URN yet: errors beside them
    assert "Select the placement provider" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.select_option("#id_provider", "PR1")
    page.fill("#id_urn", "SC123456")
    _save_and_expect(page, "Recorded: the child is looked after")
    shows(page, "Placement history")
    assert axe_violations(page) == []

    page.click("a:has-text('Record a statutory visit')")
    _fill_date(page, "visited_on", today)
    page.check("input[name=child_seen][value=yes]")
    page.check("input[name=seen_alone][value=yes]")
    _save_and_expect(page, "Visit recorded")
    page.click("a:has-text('Record a looked-after review')")
    _fill_date(page, "held_on", today)
    page.check("input[name=participation][value=PN1]")
    _save_and_expect(page, "Looked-after review recorded")

    period = CarePeriod.objects.get(child=child)
    assert period.worker == sw.worker
    assert ChildProtectionPlan.objects.get(child=child).ended_on == today
    assert CareVisit.objects.get().visited_on == CareReview.objects.get().held_on == today

    compute_all_kpis()  # the job
    page.click("button:has-text('Sign out')")
    _sign_in(page, live_server, hos)
    page.goto(f"{live_server.url}/care/due/")
    shows(page, child.full_name)
    assert axe_violations(page) == []
    month = P.month(today.replace(day=1)).name
    page.goto(f"{live_server.url}/kpis/cla_count/?period={month}")
    assert axe_violations(page) == []
    response = page.request.get(f"{live_server.url}/kpis/?period={month}&format=csv")
    rows = {r["kpi"]: r for r in csv.DictReader(io.StringIO(response.text()))}
    assert float(rows["cla_count"]["numerator"]) == 1
    assert float(rows["cla_started"]["numerator"]) == 1
    assert float(rows["cla_reviews_in_time"]["value"]) == 100
    assert float(rows["cla_visits_in_time"]["value"]) == 100

"""Daily-work pages in headless Chromium: no axe-core violations, keyboard-only use,
and the front-door-to-authorisation walk through the forms."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.support.browser import axe_violations
from tests.ui import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


def _sign_in(page, live_server, user):
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.fixture
def people(db):
    builders.authority()
    team = builders.team("Assessment 1")
    alice = builders.user_with_worker("alice", Role.SOCIAL_WORKER, team)
    mary = builders.user_with_worker("mary", Role.TEAM_MANAGER, team)
    henry = builders.user_with_worker("henry", Role.HEAD_OF_SERVICE, team)
    today = timezone.localdate()
    referrals = builders.caseload(alice.worker, 3, referred_on=today - timedelta(days=70))
    builders.assessments(referrals[:1], worker=alice.worker)
    builders.s47s(referrals[1:], held_on=today - timedelta(days=20))
    builders.cp_plans(referrals[2:], icpc_on=today - timedelta(days=10))
    builders.episodes(builders.children(1, last_name="Waiting"), referred_on=today)
    builders.contacts([builders.children(2, last_name="Sibling")], received_on=today)
    return {"alice": alice, "mary": mary, "henry": henry, "child": referrals[2].child}


def test_social_worker_pages_have_no_accessibility_violations(live_server, page, people):
    _sign_in(page, live_server, people["alice"])
    assert page.locator("h1").inner_text().startswith("My work")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/my-work/?kind=visit&status=due")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/children/{people['child'].pk}/")
    assert "child protection plan" in page.locator(".govuk-warning-text").inner_text()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/children/?q=child")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/caseloads/",
        "/front-door/",
        "/unallocated/",
        "/queues/authorisation/",
        "/contacts/new/",
    ],
)
def test_manager_pages_have_no_accessibility_violations(live_server, page, people, path):
    _sign_in(page, live_server, people["mary"])
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_head_of_service_home_has_no_accessibility_violations(live_server, page, people):
    _sign_in(page, live_server, people["henry"])
    assert page.locator("main a[href='/kpis/']").count() == 1
    assert axe_violations(page) == []


def test_the_contact_form_works_by_keyboard_alone_and_errors_are_accessible(
    live_server, page, people
):
    _sign_in(page, live_server, people["mary"])
    page.goto(f"{live_server.url}/contacts/new/")
    page.focus("#id_received_on_0")
    page.keyboard.press("Control+a")
    page.keyboard.type("31")
    for _ in range(3):  # month, year, time
        page.keyboard.press("Tab")
    page.keyboard.type("09:30")
    page.keyboard.press("Tab")  # source select
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("NOPE1")
    page.keyboard.press("Tab")
    page.keyboard.type("Police notification")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Save
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert "No child found with LA child ID NOPE1" in summary.inner_text()
    assert axe_violations(page) == []


def test_front_door_to_authorised_assessment_walk(live_server, page, people):
    today = timezone.localdate()
    mary, henry = people["mary"], people["henry"]
    kids = builders.children(1, last_name="Walker")
    _sign_in(page, live_server, mary)
    page.goto(f"{live_server.url}/contacts/new/")
    page.fill("#id_received_time", "09:00")
    page.select_option("#id_source", "2A")
    page.fill("#id_children", kids[0].la_child_id)
    page.fill("#id_reason", "School concern")
    page.click("button:has-text('Save')")
    assert "Contact recorded" in page.content()
    page.click("a:has-text('Decide')")
    page.check(f"input[name=decision_{kids[0].pk}][value=referral]")
    page.click("button:has-text('Save')")
    assert "Screening decision recorded" in page.content()
    page.goto(f"{live_server.url}/children/{kids[0].pk}/")
    page.click("a:has-text('Start an assessment')")
    page.click("button:has-text('Save')")
    page.click("a:has-text('record child seen')")
    page.fill("#id_seen_on_0", str(today.day))
    page.fill("#id_seen_on_1", str(today.month))
    page.fill("#id_seen_on_2", str(today.year))
    page.click("button:has-text('Save')")
    page.click("a:has-text('complete')")
    page.fill("#id_completed_on_0", str(today.day))
    page.fill("#id_completed_on_1", str(today.month))
    page.fill("#id_completed_on_2", str(today.year))
    page.check("input[name=outcome][value=cin_plan]")
    page.check("input[name=factors][value='3A']")
    page.select_option("#id_primary_need", "N1")
    assert axe_violations(page) == []
    page.click("button:has-text('Save')")
    assert "Assessment completed" in page.content()
    page.click("a:has-text('submit for authorisation')")
    page.fill("#id_submitted_on_0", str(today.day))
    page.fill("#id_submitted_on_1", str(today.month))
    page.fill("#id_submitted_on_2", str(today.year))
    page.click("button:has-text('Save')")
    page.click("button:has-text('Sign out')")
    _sign_in(page, live_server, henry)
    page.goto(f"{live_server.url}/queues/authorisation/")
    page.click("a:has-text('Walker')")
    page.click("a:has-text('authorise')")
    page.fill("#id_authorised_on_0", str(today.day))
    page.fill("#id_authorised_on_1", str(today.month))
    page.fill("#id_authorised_on_2", str(today.year))
    page.click("button:has-text('Save')")
    assert "Assessment authorised" in page.content()
    assert "Assessment authorised" in page.locator("table").last.inner_text()

"""Daily-work pages in headless Chromium: no axe-core violations, keyboard-only use,
and the front-door-to-child-protection-plan walk through the forms."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from casework import calendar
from casework.models import ChildProtectionPlan, Section47Enquiry, Visit
from casework.services import case_allocate
from referrals.models import Referral
from tests.support.browser import axe_violations, shows
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
    plans = builders.cp_plans(referrals[2:], icpc_on=today - timedelta(days=10))
    builders.episodes(builders.children(1, last_name="Waiting"), referred_on=today)
    builders.contacts([builders.children(2, last_name="Sibling")], received_on=today)
    return {
        "alice": alice,
        "mary": mary,
        "henry": henry,
        "child": referrals[2].child,
        "plan": plans[0],
    }


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


@pytest.mark.parametrize("step", ["core-group", "review", "end"])
def test_plan_forms_have_no_accessibility_violations_even_with_errors(
    live_server, page, people, step
):
    _sign_in(page, live_server, people["alice"])
    page.goto(f"{live_server.url}/plans/{people['plan'].pk}/{step}/")
    assert axe_violations(page) == []
    page.click("button:has-text('Save')")  # nothing filled in: the error summary shows
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
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


def _fill_date(page, prefix, day):
    page.fill(f"#id_{prefix}_0", str(day.day))
    page.fill(f"#id_{prefix}_1", str(day.month))
    page.fill(f"#id_{prefix}_2", str(day.year))


def _save_and_expect(page, message):
    """Every form page passes axe before it is saved; the saved page says what happened."""
    assert axe_violations(page) == []
    page.click("button:has-text('Save')")
    shows(page, message)


def _switch_user(page, live_server, user):
    page.click("button:has-text('Sign out')")
    _sign_in(page, live_server, user)


def test_front_door_to_child_protection_plan_walk(live_server, page, people):
    """contact -> referral -> allocate -> assessment seen/completed/authorised -> strategy
    discussion -> s47 -> ICPC -> plan -> visit, each step through its form."""
    today = timezone.localdate()
    # An ICPC is held on a working day on or after the s47 start, so the episode starts
    # on the latest working day (today, unless the test runs on a weekend or holiday).
    day = today
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    alice, mary, henry = people["alice"], people["mary"], people["henry"]
    kids = builders.children(1, last_name="Walker")
    child_url = f"{live_server.url}/children/{kids[0].pk}/"
    _sign_in(page, live_server, mary)
    page.goto(f"{live_server.url}/contacts/new/")
    _fill_date(page, "received_on", day)
    page.fill("#id_received_time", "00:00")  # before now at any hour the suite runs
    page.select_option("#id_source", "2A")
    page.fill("#id_children", kids[0].la_child_id)
    page.fill("#id_reason", "School concern")
    page.click("button:has-text('Save')")
    shows(page, "Contact recorded")
    page.click("a:has-text('Decide')")
    page.check(f"input[name=decision_{kids[0].pk}][value=referral]")
    _fill_date(page, "decided_on", day)
    page.click("button:has-text('Save')")
    shows(page, "Screening decision recorded")
    # Allocation has no browser form yet (being built separately): allocate through the
    # service, as the manager would from the unallocated queue.
    referral = Referral.objects.get(child=kids[0])
    case_allocate(referral=referral, by=mary, worker=alice.worker, started_on=day)
    page.goto(child_url)
    page.click("a:has-text('Start an assessment')")
    _fill_date(page, "started_on", day)
    page.click("button:has-text('Save')")
    page.click("a:has-text('record child seen')")
    _fill_date(page, "seen_on", today)
    page.click("button:has-text('Save')")
    page.click("a:has-text('complete')")
    _fill_date(page, "completed_on", today)
    page.check("input[name=outcome][value=strategy_discussion]")
    page.check("input[name=factors][value='3A']")
    page.select_option("#id_primary_need", "N1")
    _save_and_expect(page, "Assessment completed")
    page.click("a:has-text('submit for authorisation')")
    _fill_date(page, "submitted_on", today)
    page.click("button:has-text('Save')")
    _switch_user(page, live_server, henry)
    page.goto(f"{live_server.url}/queues/authorisation/")
    page.click("a:has-text('Walker')")
    page.click("a:has-text('read and authorise or return')")
    shows(page, "What you are signing")
    page.check("input[name=decision][value=authorise]")
    _fill_date(page, "decided_on", today)
    _save_and_expect(page, "Assessment decision recorded")
    page.goto(child_url)
    assert "Assessment authorised" in page.locator("table").last.inner_text()

    _switch_user(page, live_server, alice)
    page.goto(child_url)
    page.click("a:has-text('Record a strategy discussion')")
    _fill_date(page, "held_on", day)
    page.check("input[name=s47_required][value=yes]")
    page.fill("#id_attendees", "Police, school nurse")
    _save_and_expect(page, "Strategy discussion recorded")
    page.click("a:has-text('record the section 47 outcome')")
    _fill_date(page, "ended_on", today)
    page.check("input[name=outcome][value=icpc]")
    _save_and_expect(page, "Section 47 outcome recorded for sign-off")

    _switch_user(page, live_server, mary)
    page.goto(f"{live_server.url}/queues/authorisation/")
    assert axe_violations(page) == []
    page.click("a:has-text('Sign off or return')")
    page.check("input[name=decision][value=authorise]")
    _save_and_expect(page, "Section 47 decision recorded")

    _switch_user(page, live_server, alice)
    page.goto(child_url)
    page.click("a:has-text('record the initial conference')")
    _fill_date(page, "held_on", day)
    page.check("input[name=outcome][value=plan]")
    page.fill("#id_chair", "Independent chair")
    _save_and_expect(page, "Initial conference recorded")
    page.click("a:has-text('start the child protection plan')")
    page.check("input[name=category][value=NEG]")
    _save_and_expect(page, "Child protection plan started")
    assert "on a child protection plan" in page.locator(".govuk-warning-text").inner_text()
    page.click("a:has-text('Record a visit')")
    page.check("input[name=kind][value=cp]")
    _fill_date(page, "visited_on", today)
    page.check("input[name=child_seen][value=yes]")
    page.check("input[name=seen_alone][value=yes]")
    _save_and_expect(page, "Visit recorded")

    plan = ChildProtectionPlan.objects.get(child=kids[0])
    assert (plan.started_on, plan.initial_category) == (day, "NEG")
    visit = Visit.objects.get(child=kids[0])
    assert visit.cp_plan == plan and visit.child_seen and visit.seen_alone
    assert Section47Enquiry.objects.get(child=kids[0]).status == "completed"

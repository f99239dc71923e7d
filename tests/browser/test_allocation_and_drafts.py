"""Allocation and CIN plan pages, the remaining recording forms and the business-support
home in headless Chromium (axe-core), the allocation form by keyboard alone, and the
timeout warning with drafts that survive a timeout but not a deliberate sign-out."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from casework.models import Assessment, CINPlan
from referrals.models import Contact, Referral
from tests.browser.test_daily_work import _sign_in, people  # noqa: F401 (fixture)
from tests.support.browser import axe_violations
from tests.ui import builders
from workforce.codes import AbsenceKind
from workforce.models import Absence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DRAFT_KEYS = "() => Object.keys(localStorage).filter((k) => k.startsWith('caseflow-draft:'))"


@pytest.fixture
def more(people):  # noqa: F811
    alice = people["alice"]
    today = timezone.localdate()
    assessment = Assessment.objects.get()
    referral = assessment.referral
    cin = builders.caseload(alice.worker, 1, referred_on=today - timedelta(days=30))[0]
    CINPlan.objects.create(
        child_id=cin.child_id, referral=cin, started_on=today - timedelta(days=5)
    )
    waiting = Referral.objects.get(child__last_name="Waiting")
    bea = builders.user_with_worker("bea", Role.BUSINESS_SUPPORT, alice.worker.team)
    # A colleague on leave: the allocation pages show the "On leave" tag to axe.
    lena = builders.user_with_worker("lena", Role.SOCIAL_WORKER, alice.worker.team).worker
    away = {"started_on": today - timedelta(days=1), "ended_on": today + timedelta(days=6)}
    Absence.objects.create(worker=lena, kind=AbsenceKind.OTHER_PAID, days_lost=5, **away)
    return {
        **people,
        "assessment": assessment,
        "referral": referral,
        "cin": cin,
        "waiting": waiting,
        "bea": bea,
        "contact": Contact.objects.get(),
    }


def _pages(more):
    a, r = more["assessment"].pk, more["referral"]
    fresh = builders.caseload(more["alice"].worker, 1, referred_on=date(2025, 1, 6))[0]
    return [
        f"/contacts/{more['contact'].pk}/screen/",
        f"/referrals/{fresh.pk}/assessment/start/",
        *(f"/assessments/{a}/{step}/" for step in ("seen", "submit", "return", "authorise")),
        f"/referrals/{r.pk}/close/",
        f"/children/{r.child_id}/audit/",
        f"/referrals/{more['waiting'].pk}/allocate/",
        f"/referrals/{r.pk}/allocate/",
        f"/referrals/{r.pk}/cin-plan/start/",
        f"/referrals/{more['cin'].pk}/cin-plan/end/",
    ]


def test_recording_allocation_and_plan_pages_have_no_accessibility_violations(
    live_server, page, more
):
    _sign_in(page, live_server, more["mary"])
    for path in _pages(more):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    # An error state too: the refusal summary and messages beside the fields.
    page.goto(f"{live_server.url}/referrals/{more['waiting'].pk}/allocate/")
    page.click("button:has-text('Allocate')")
    assert "Select worker" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []


def test_business_support_home_has_no_accessibility_violations(live_server, page, more):
    _sign_in(page, live_server, more["bea"])
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_the_allocation_form_works_by_keyboard_alone(live_server, page, more):
    _sign_in(page, live_server, more["mary"])
    page.goto(f"{live_server.url}/unallocated/")
    page.focus("main a:has-text('Allocate')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Allocate the case"
    page.focus("input[name=worker]")
    page.keyboard.press("Space")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.innerText").strip() == "Allocate"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Case allocated" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("a:has-text('Reallocate')").count() == 1


def test_the_timeout_warning_appears_before_the_session_ends(live_server, page, people, settings):  # noqa: F811
    # The warning opens 2 minutes before the idle limit (at least 5 seconds in).
    settings.SESSION_COOKIE_AGE = 125
    _sign_in(page, live_server, people["alice"])
    dialog = page.locator("#cf-timeout")
    assert not dialog.is_visible()
    dialog.wait_for(state="visible", timeout=12_000)
    assert "You are about to be signed out" in dialog.inner_text()
    assert page.evaluate("document.activeElement.innerText").strip() == "Stay signed in"
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")


def test_a_draft_survives_reload_and_a_timeout_but_not_signing_out(live_server, page, more):
    alice, assessment = more["alice"], more["assessment"]
    url = f"{live_server.url}/assessments/{assessment.pk}/complete/"
    _sign_in(page, live_server, alice)
    page.goto(url)
    page.fill("#id_summary", "Visited at home; mother engaged")
    page.check("input[name=outcome][value=cin_plan]")
    page.reload()
    assert page.input_value("#id_summary") == "Visited at home; mother engaged"
    assert page.is_checked("input[name=outcome][value=cin_plan]")
    assert page.locator("#cf-draft-restored").is_visible()
    # The session times out (its cookie is gone); signing in again brings the draft back.
    page.context.clear_cookies()
    page.goto(url)
    assert "/accounts/login/" in page.url
    _sign_in(page, live_server, alice)
    page.goto(url)
    assert page.input_value("#id_summary") == "Visited at home; mother engaged"
    assert page.locator("#cf-draft-restored").is_visible()
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    with page.expect_navigation():  # wait_for_load_state() could read the page being left
        page.click("button:has-text('Sign out')")
    assert page.evaluate(DRAFT_KEYS) == []
    _sign_in(page, live_server, alice)
    page.goto(url)
    assert page.input_value("#id_summary") == ""
    assert not page.locator("#cf-draft-restored").is_visible()

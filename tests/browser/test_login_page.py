import pytest

from tests.support.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_loads_in_chromium_with_no_accessibility_violations(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "Sign in to Caseflow"
    assert page.title() == "Sign in – Caseflow"
    assert axe_violations(page) == []


def test_signing_in_with_a_wrong_password_shows_the_error_summary(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

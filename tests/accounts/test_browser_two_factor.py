"""The sign-in steps in Chromium: accessible, and nothing blocked by the CSP."""

import pytest

from tests.accounts.builders import PASSWORD, make_user
from tests.support.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enrolment_page_shows_the_qr_code_accessibly_with_no_csp_violations(
    live_server, page, settings
):
    settings.CASEFLOW_REQUIRE_2FA = True
    make_user(username="enrol")
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "enrol")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.locator("h1").inner_text() == "Set up two-factor sign-in"
    assert page.locator(".caseflow-qr svg").count() == 1
    assert "js-enabled" in page.evaluate("document.body.className")
    assert axe_violations(page) == []
    assert not [p for p in problems if "Content Security Policy" in p], problems

import pytest

from accounts.models import Role, User
from tests.support.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def administrator():
    return User.objects.create_user(
        "ada", password=PASSWORD, role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
    )


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/?next=/returns/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/returns/")


def test_the_returns_page_offers_both_exports_with_no_accessibility_violations(
    live_server, page, administrator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _sign_in(page, live_server, administrator)

    assert page.locator("h1").inner_text() == "Statutory returns"
    assert page.get_by_role("button", name="Export the census").is_visible()
    assert page.get_by_role("button", name="Export Annex A").is_visible()
    assert axe_violations(page) == []


def test_an_annex_a_date_error_shows_beside_the_field_with_no_violations(
    live_server, page, administrator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _sign_in(page, live_server, administrator)

    page.fill("#id_as_of", "not a date")
    page.get_by_role("button", name="Export Annex A").click()

    assert "Enter the date as day/month/year" in page.locator("#as_of-error").inner_text()
    assert axe_violations(page) == []


def test_the_checks_page_while_a_check_runs_has_no_accessibility_violations(
    live_server, page, administrator, settings, tmp_path
):
    from metrics.returns.models import CensusCheckRun
    from tests.support.browser import shows

    settings.MEDIA_ROOT = tmp_path
    _sign_in(page, live_server, administrator)
    page.goto(f"{live_server.url}/returns/cin-census/2025/checks")
    assert page.get_by_role("button", name="Check the records as they are now").is_visible()
    assert axe_violations(page) == []

    CensusCheckRun.objects.create(year=2025, requested_by=administrator, status="running")
    page.goto(f"{live_server.url}/returns/cin-census/2025/checks")

    shows(page, "Checks running")
    assert page.get_by_role("button", name="Check the records as they are now").count() == 0
    assert axe_violations(page) == []

"""The head of service's commentary on the report: per section and per line, kept per
report, all or nothing, with history; shown on the page and in the XLSX."""

import pytest

from accounts.models import Role, User
from metrics.commentary import MAX_LENGTH
from metrics.models import ReportCommentary
from tests.metrics.report_data import YEAR, build_year
from tests.metrics.tables import xlsx_sheets

pytestmark = pytest.mark.django_db
URL = f"/kpis/report/commentary/?year={YEAR.name}"


def test_commentary_is_kept_per_report_and_shown_on_the_page_and_in_the_xlsx(hos):
    build_year()
    assert hos.get(URL).status_code == 200
    response = hos.post(
        URL,
        {
            "c-inputs": "Demand rose after the summer.",
            "c-inputs-referrals_nfa": "Police referrals drove NFA.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/kpis/report/?year={YEAR.name}"
    page = hos.get(f"/kpis/report/?year={YEAR.name}").content.decode()
    assert "Demand rose after the summer." in page and "Police referrals drove NFA." in page
    other_year = hos.get("/kpis/report/?year=FY2023-24").content.decode()
    assert "Demand rose after the summer." not in other_year
    sheets = xlsx_sheets(hos.get(f"/kpis/report/?year={YEAR.name}&format=xlsx").content)
    assert any("Police referrals drove NFA." in row for row in sheets["Commentary"])
    hos.post(URL, {"c-inputs": "Demand fell in the spring."})
    note = ReportCommentary.objects.get(report=YEAR.name, section="inputs", kpi="")
    assert note.text == "Demand fell in the spring."
    assert [h.text for h in note.history.order_by("history_date")] == [
        "Demand rose after the summer.",
        "Demand fell in the spring.",
    ]
    # The line left out of the second post was emptied, not deleted: its history stays.
    line = ReportCommentary.objects.get(report=YEAR.name, kpi="referrals_nfa")
    assert line.text == "" and line.history.count() == 2


def test_too_long_commentary_is_refused_beside_the_field_and_nothing_is_saved(hos):
    response = hos.post(URL, {"c-inputs": "Fine.", "c-outputs": "x" * (MAX_LENGTH + 1)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-message" in page and f"{MAX_LENGTH} characters or fewer" in page
    assert 'id="c-outputs-error"' in page
    assert not ReportCommentary.objects.exists()


def test_only_the_head_of_service_writes_commentary(client):
    client.force_login(User.objects.create_user(username="tm", role=Role.TEAM_MANAGER))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"c-inputs": "No."}).status_code == 403
    assert not ReportCommentary.objects.exists()
    client.force_login(User.objects.create_user(username="admin1", role=Role.ADMINISTRATOR))
    assert client.post(URL, {"c-inputs": "No."}).status_code == 403

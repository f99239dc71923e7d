from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, User
from referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return User.objects.create_user("ada", password="x", role=Role.ADMINISTRATOR)


@pytest.fixture
def social_worker():
    return User.objects.create_user("sam", password="x", role=Role.SOCIAL_WORKER)


def test_an_administrator_starts_an_export_and_is_offered_the_file(
    client, admin_user, small_authority, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)

    response = client.post(reverse("returns:home"), {"year": "2025"}, follow=True)

    assert response.status_code == 200
    assert "The 2025 CIN census export has started." in response.content.decode()
    job = response.context["jobs"][0]
    assert job.status == "done" and job.children == 5 and job.schema_errors == []
    download = client.get(reverse("returns:download", args=[job.id]))
    assert download.status_code == 200
    assert b"<LAchildID>" in b"".join(download.streaming_content)


def test_the_checks_page_lists_each_error_and_offers_xlsx(
    client, admin_user, small_authority, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    Referral.objects.filter(child=small_authority["closed_nfa"]).update(primary_need="")
    client.force_login(admin_user)

    page = client.get(reverse("returns:checks", args=[2025]))
    xlsx = client.get(reverse("returns:checks", args=[2025]) + "?format=xlsx")

    assert page.status_code == 200
    assert "Primary Need code is missing" in page.content.decode()
    assert small_authority["closed_nfa"].la_child_id in page.content.decode()
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_other_roles_are_refused(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("returns:home")).status_code == 403
    assert client.get(reverse("returns:checks", args=[2025])).status_code == 403


def test_an_unknown_export_is_not_found(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    assert client.get(reverse("returns:download", args=["nope"])).status_code == 404


def test_an_administrator_starts_an_annex_a_export_and_is_offered_the_xlsx(
    client, admin_user, small_authority, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)

    response = client.post(reverse("returns:annex_a"), {"as_of": "31/03/2025"}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The Ofsted Annex A as of 31/03/2025 export has started." in page
    job = response.context["jobs"][0]
    assert job.kind == "annex_a" and job.status == "done"
    assert job.file.endswith(".xlsx") and f"Download {job.file}" in page
    download = client.get(reverse("returns:download", args=[job.id]))
    assert download.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames[0] == "List 1 Contacts"
    assert workbook.sheetnames[-1] == "Notes"  # not a list: its lines are not rows
    rows = sum(ws.max_row - 1 for ws in workbook.worksheets if ws.title != "Notes")
    assert job.children == rows


def test_annex_a_needs_a_date_in_the_past(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)

    bad = client.post(reverse("returns:annex_a"), {"as_of": "31/02/2025"})
    future = client.post(reverse("returns:annex_a"), {"as_of": "01/01/2099"})

    assert "Enter the date as day/month/year" in bad.content.decode()
    assert "The date must be today or in the past" in future.content.decode()
    assert bad.context["jobs"] == [] and future.context["jobs"] == []


def test_other_roles_cannot_start_annex_a(client, social_worker):
    client.force_login(social_worker)
    assert client.post(reverse("returns:annex_a"), {"as_of": "31/03/2025"}).status_code == 403

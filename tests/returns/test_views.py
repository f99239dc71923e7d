import pytest
from django.urls import reverse

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


def test_the_checks_page_lists_each_error_and_offers_xlsx(client, admin_user, small_authority):
    Referral.objects.filter(child=small_authority["unborn"]).update(primary_need="")
    client.force_login(admin_user)

    page = client.get(reverse("returns:checks", args=[2025]))
    xlsx = client.get(reverse("returns:checks", args=[2025]) + "?format=xlsx")

    assert page.status_code == 200
    assert "Primary Need code is missing" in page.content.decode()
    assert small_authority["unborn"].la_child_id in page.content.decode()
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_other_roles_are_refused(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("returns:home")).status_code == 403
    assert client.get(reverse("returns:checks", args=[2025])).status_code == 403


def test_an_unknown_export_is_not_found(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    assert client.get(reverse("returns:download", args=["nope"])).status_code == 404

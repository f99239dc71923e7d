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


@pytest.mark.celery_eager("the export job's file is offered on the page the form redirects to")
def test_an_administrator_starts_an_export_and_is_offered_the_file(
    client, admin_user, small_authority, settings, tmp_path, export_now
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)

    started, job = export_now("returns:home", {"year": "2025"})
    response = client.get(started.url)

    assert response.status_code == 200
    assert "The 2025 CIN census export has started." in response.content.decode()
    assert response.context["jobs"][0] == job
    assert job.status == "done" and job.children == 5 and job.schema_errors == []
    download = client.get(reverse("returns:download", args=[job.id]))
    assert download.status_code == 200
    assert b"<LAchildID>" in b"".join(download.streaming_content)


def test_the_checks_page_lists_each_error_and_offers_xlsx(
    client, admin_user, small_authority, settings, tmp_path, check_now
):
    settings.MEDIA_ROOT = tmp_path
    Referral.objects.filter(child=small_authority["closed_nfa"]).update(primary_need="")
    client.force_login(admin_user)
    check_now(2025)

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


@pytest.mark.celery_eager("the export job's file is offered on the page the form redirects to")
def test_an_administrator_starts_an_annex_a_export_and_is_offered_the_xlsx(
    client, admin_user, small_authority, settings, tmp_path, export_now
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)

    started, job = export_now("returns:annex_a", {"as_of": "31/03/2025"})
    response = client.get(started.url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The Ofsted Annex A as of 31/03/2025 export has started." in page
    assert response.context["jobs"][0] == job
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


def _checks(client, year=2025) -> str:
    response = client.get(reverse("returns:checks", args=[year]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.celery_eager("the queued check is run here, to read its findings on the page")
def test_check_now_runs_in_the_background_shows_running_then_the_findings(
    client, admin_user, small_authority, django_capture_on_commit_callbacks
):
    """Fault: ?now=1 ran the DfE validator inside the web request (minutes on a county)."""
    from metrics.returns.check_runs import census_check_execute
    from metrics.returns.models import CensusCheckRun

    Referral.objects.filter(child=small_authority["closed_nfa"]).update(primary_need="")
    client.force_login(admin_user)
    url = reverse("returns:checks", args=[2025])
    assert "has not been checked yet" in _checks(client)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(url)
        client.post(url)  # asked twice while queued: still one run
    run = CensusCheckRun.objects.get()
    assert first.status_code == 302 and len(queued) == 1
    assert (run.year, run.status, run.requested_by) == (2025, "queued", admin_user)
    page = _checks(client)
    assert "Checks running" in page and "queued" in page
    assert "Primary Need code is missing" not in page and "Refresh to see whether" in page

    CensusCheckRun.objects.filter(pk=run.pk).update(status="running")
    assert "Checks running" in _checks(client)
    CensusCheckRun.objects.filter(pk=run.pk).update(status="queued")

    queued[0]()  # the Celery task, run in-process (celery_eager)
    run.refresh_from_db()
    assert run.status == "done" and run.started_at and run.finished_at
    assert run.ruleset == "cin2024_25" and run.children == 5
    page = _checks(client)
    assert "Checks running" not in page and "Refresh to see whether" not in page
    assert "Primary Need code is missing" in page
    assert small_authority["closed_nfa"].la_child_id in page
    # A redelivered task finds the run finished and does nothing.
    assert census_check_execute(run_id=run.pk).finished_at == run.finished_at


def test_a_check_that_cannot_run_says_why_on_the_page(
    client, admin_user, check_now, django_capture_on_commit_callbacks
):
    from metrics.returns.models import CensusCheckRun
    from metrics.returns.service import NO_AUTHORITY

    client.force_login(admin_user)
    check_now(2025)  # no authority is set up

    assert CensusCheckRun.objects.get().status == "failed"
    page = _checks(client)
    assert "did not finish" in page and NO_AUTHORITY in page
    assert "Check the records as they are now" in page

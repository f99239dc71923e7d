"""Targets, return exports and check runs are records: not even a superuser deletes them
in the admin (issue 18 review)."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role, User
from metrics.models import KpiTarget
from metrics.returns.models import CensusCheckRun, ReturnExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    admin = User.objects.create_superuser(username="root", password="x", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    return client


def _records(by):
    target = KpiTarget.objects.create(
        kpi="referrals_nfa", value=Decimal("20"), amber_threshold=Decimal("30"), set_by=by
    )
    job = ReturnExportJob.objects.create(
        kind=ReturnExportJob.Kind.ANNEX_A, year=2025, as_of=date(2025, 3, 31),
        status=ReturnExportJob.Status.DONE, requested_by=by,
    )  # fmt: skip
    run = CensusCheckRun.objects.create(year=2025, status=CensusCheckRun.Status.DONE)
    return [("kpitarget", target), ("returnexportjob", job), ("censuscheckrun", run)]


def test_a_superuser_cannot_delete_a_target_an_export_or_a_check_run(root):
    records = _records(User.objects.get(username="root"))
    for name, record in records:
        url = f"/admin/metrics/{name}/{record.pk}/delete/"
        assert root.get(url).status_code == 403, name
        assert root.post(url, {"post": "yes"}).status_code == 403, name
        assert type(record).objects.filter(pk=record.pk).exists(), name
        # Nor from the list, where the bulk delete action is not offered.
        listing = root.get(f"/admin/metrics/{name}/")
        assert listing.status_code == 200 and "delete_selected" not in listing.content.decode()


def test_export_jobs_and_check_runs_are_read_not_written_in_the_admin(root):
    _records(User.objects.get(username="root"))
    assert root.get("/admin/metrics/returnexportjob/add/").status_code == 403
    assert root.get("/admin/metrics/censuscheckrun/add/").status_code == 403
    job = ReturnExportJob.objects.get()
    page = root.get(f"/admin/metrics/returnexportjob/{job.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()

"""The returns page's exports run on a real Celery worker and are offered when done."""

import time
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Role, User
from metrics.returns.models import ReturnExportJob
from metrics.returns.service import returns_dir
from tests.returns import builders

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


def _wait_until_finished(job_id: int, timeout: float = 60) -> ReturnExportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ReturnExportJob.objects.get(pk=job_id)
        if not job.unfinished:
            return job
        time.sleep(0.2)
    pytest.fail(f"export {job_id} did not finish within {timeout}s")


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_user("ada", password="x", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    return client


@pytest.fixture
def written_files():
    """The worker writes to the configured MEDIA_ROOT (it does not see test settings)."""
    before = set(returns_dir().rglob("*"))
    yield
    for path in sorted(set(returns_dir().rglob("*")) - before, reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.mark.parametrize(
    ("url", "data", "suffix", "content"),
    [
        ("returns:home", {"year": "2025"}, ".xml", b"<LAchildID>"),
        ("returns:annex_a", {"as_of": "31/03/2025"}, ".xlsx", b"PK"),
    ],
)
def test_an_export_started_on_the_page_is_written_by_the_worker_and_offered(
    admin_client, celery_worker, written_files, url, data, suffix, content
):
    builders.small_authority()

    admin_client.post(reverse(url), data)
    [job] = ReturnExportJob.objects.all()
    finished = _wait_until_finished(job.id)

    assert finished.status == "done", finished.error
    assert Path(returns_dir() / finished.file).is_file()
    assert finished.file.endswith(suffix)
    page = admin_client.get(reverse("returns:home")).content.decode()
    assert f"Download {finished.file}" in page
    download = admin_client.get(reverse("returns:download", args=[finished.id]))
    assert download.status_code == 200
    assert content in b"".join(download.streaming_content)

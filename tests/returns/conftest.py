import pytest

from accounts.models import Role, User
from tests.returns import builders
from tests.support.celery import tasks_in_process


@pytest.fixture
def small_authority(db):
    return builders.small_authority()


@pytest.fixture
def check_now(client, django_capture_on_commit_callbacks):
    """The checks page's "check the records as they are now", its background job run
    in-process once the request's transaction commits."""
    from django.urls import reverse

    def run(year: int):
        with (
            tasks_in_process("the tests read the check's findings on the page straight after"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return client.post(reverse("returns:checks", args=[year]))

    return run


@pytest.fixture
def export_now(client, django_capture_on_commit_callbacks):
    """The returns page's export buttons: the job is queued once the request's transaction
    commits and run in-process; returns the response and the finished job."""
    from django.urls import reverse

    from metrics.returns.models import ReturnExportJob

    def run(url_name: str, data: dict):
        with (
            tasks_in_process("the tests read the finished export straight after"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(reverse(url_name), data)
        return response, ReturnExportJob.objects.first()

    return run


@pytest.fixture
def ada(client, settings, tmp_path):
    """An administrator, signed in; exports go to a scratch MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.create_user("ada", password="x", role=Role.ADMINISTRATOR)
    client.force_login(user)
    return user

import pytest

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

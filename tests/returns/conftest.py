import pytest

from tests.returns import builders


@pytest.fixture
def small_authority(db):
    return builders.small_authority()


@pytest.fixture
def check_now(client, django_capture_on_commit_callbacks):
    """The checks page's "check the records as they are now", its background job run
    eagerly (the tests' Celery) once the request's transaction commits."""
    from django.urls import reverse

    def run(year: int):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("returns:checks", args=[year]))

    return run

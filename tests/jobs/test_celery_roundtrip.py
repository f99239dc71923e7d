import pytest

from config.celery import ping

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


def test_a_task_round_trips_through_redis_and_a_live_worker(celery_worker):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()


def test_readyz_sees_the_live_worker(client, celery_worker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"].startswith("ok (")

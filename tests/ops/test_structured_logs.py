"""Structured logs: a request logs JSON lines with a request_id, and a task it queues
carries that id in its message headers (django-structlog), for the worker's log lines."""

import io
import json
import logging

import pytest
import structlog
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.urls import path

from config.celery import app as celery_app
from config.celery import ping
from config.logging import configure

pytestmark = pytest.mark.django_db

QUEUE = "structured-log-test"  # no worker consumes it: the test reads the message itself


def _queue_a_task(request):
    ping.apply_async(queue=QUEUE)
    return HttpResponse("queued")


urlpatterns = [path("queue-a-task", _queue_a_task)]


@pytest.fixture
def json_log_lines():
    """Production's JSON logging (config.logging), its console handler writing to a
    buffer; returns a function giving the lines logged so far, parsed."""
    configure(level="INFO", json=True)
    buffer = io.StringIO()
    console = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, structlog.stdlib.ProcessorFormatter)
    )
    console.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    configure(level=django_settings.CASEFLOW_LOG_LEVEL, json=django_settings.CASEFLOW_LOG_JSON)


@pytest.fixture
def published():
    """The raw messages published to QUEUE (the broker is the Redis `make test` started)."""
    with celery_app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete(QUEUE)
        yield lambda: [json.loads(m) for m in client.lrange(QUEUE, 0, -1)]
        client.delete(QUEUE)


def test_a_request_logs_json_with_a_request_id_that_its_task_carries(
    client, settings, json_log_lines, published
):
    settings.ROOT_URLCONF = __name__
    celery_app.conf.task_always_eager = False  # publish for real, as in production

    response = client.get("/queue-a-task")

    assert response.status_code == 200
    lines = json_log_lines()
    started = next(line for line in lines if line["event"] == "request_started")
    request_id = started["request_id"]
    assert request_id and started["level"] == "info" and started["timestamp"]
    finished = next(line for line in lines if line["event"] == "request_finished")
    assert finished["request_id"] == request_id and finished["code"] == 200
    enqueued = next(line for line in lines if line["event"] == "task_enqueued")
    assert enqueued["request_id"] == request_id
    assert enqueued["child_task_name"] == "config.ping"

    [message] = published()
    assert message["headers"]["task"] == "config.ping"
    assert message["headers"]["__django_structlog__"]["request_id"] == request_id

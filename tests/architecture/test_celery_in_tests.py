"""Issue 18 item 6: tests send tasks to the broker as production does; a test runs them
in-process only under ``celery_eager`` with a reason, and the suite refuses one without."""

import pytest

from config.celery import app as celery_app
from config.celery import ping
from tests.conftest import _refuse_eager_without_a_reason


class _Item:
    def __init__(self, *marks):
        self.nodeid = "tests/x.py::test_x"
        self._marks = {m.mark.name: m.mark for m in marks}

    def get_closest_marker(self, name):
        return self._marks.get(name)


def test_a_task_is_queued_on_the_broker_not_run_in_process(queued_tasks):
    assert celery_app.conf.task_always_eager is False
    result = ping.delay()

    assert queued_tasks == ["config.ping"]
    assert result.state == "PENDING"  # no worker here: it waits on the broker


@pytest.mark.celery_eager("this test checks the marker itself")
def test_the_marker_runs_tasks_in_process(queued_tasks):
    assert ping.delay().get() == "pong"
    assert queued_tasks == []


@pytest.mark.parametrize(
    "marks",
    [
        [pytest.mark.celery_eager],
        [pytest.mark.celery_eager("")],
        [pytest.mark.celery_eager(reason="  ")],
        [pytest.mark.celery_eager("a reason"), pytest.mark.jobs],
    ],
    ids=["no reason", "empty reason", "blank reason", "with the real worker"],
)
def test_the_suite_refuses_eager_without_a_reason_or_beside_the_worker(marks):
    with pytest.raises(pytest.UsageError, match="tests/x.py::test_x"):
        _refuse_eager_without_a_reason([_Item(*marks)])


def test_the_suite_accepts_eager_with_a_reason():
    _refuse_eager_without_a_reason([_Item(pytest.mark.celery_eager("asserted in-process"))])
    _refuse_eager_without_a_reason([_Item(pytest.mark.jobs)])

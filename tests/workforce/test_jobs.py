"""The monthly audit sample: management command and Celery task."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.metrics import builders as b
from workforce.models import CaseAudit
from workforce.tasks import draw_audit_samples

pytestmark = pytest.mark.django_db


def test_the_command_draws_a_named_month_once_and_refuses_a_bad_month():
    b.authority()
    worker = b.worker(b.team())
    for _ in range(3):
        b.allocate(b.referral(b.child(), date(2025, 5, 1)), worker, date(2025, 5, 2))
    out = StringIO()
    call_command("draw_audit_sample", "--month", "2025-06", stdout=out)
    assert "Drew 2 case files for June 2025" in out.getvalue()
    call_command("draw_audit_sample", "--month", "2025-06", stdout=StringIO())
    assert CaseAudit.objects.filter(sample_month=date(2025, 6, 1)).count() == 2
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("draw_audit_sample", "--month", "June")


def test_the_beat_task_draws_this_months_sample():
    b.authority()
    worker = b.worker(b.team())
    b.allocate(b.referral(b.child(), date(2025, 5, 1)), worker, date(2025, 5, 2))
    with time_machine.travel(date(2025, 7, 1), tick=False):
        assert draw_audit_samples.apply().get() == 1  # the task, run here
    assert CaseAudit.objects.get().sample_month == date(2025, 7, 1)

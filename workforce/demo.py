"""The demo's week, workforce part: a colleague of sw is on leave today, so tm's allocation
page shows "on leave until" (registered with ``casework.demo_work`` from WorkforceConfig)."""

from __future__ import annotations

from datetime import date, timedelta

from casework.models import Worker
from casework.models.organisation import CASE_HOLDING_ROLES
from workforce.codes import AbsenceKind
from workforce.services.establishment import absence_record


def colleague_on_leave(users: dict, today: date) -> None:
    """sw's first colleague in post (a case holder, not sw) on annual leave, recorded by
    tm: from two days ago until a week on Wednesday or so (twelve days in all)."""
    sw = users["sw"].worker
    colleague = (
        Worker.objects.filter(team=sw.team, role__in=CASE_HOLDING_ROLES, left_on__isnull=True)
        .exclude(pk=sw.pk)
        .order_by("pk")
        .first()
    )
    if colleague is not None:
        absence_record(worker=colleague, kind=AbsenceKind.OTHER_PAID, by=users["tm"],
                       started_on=today - timedelta(days=2),
                       ended_on=today + timedelta(days=9))  # fmt: skip

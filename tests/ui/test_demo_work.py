"""The demo's worker has work overdue and due within days, by the visit due-date rule."""

from datetime import date

from casework.calendar import add_working_days
from casework.demo_work import leave_work_due
from casework.models import Deadline, Visit, VisitKind
from casework.services.visits import visit_record
from tests.ui import builders

TODAY = date(2025, 6, 16)  # the frozen today of tests/ui (a Monday)


def _statuses(plans):
    for plan in plans:
        plan.refresh_from_db()
    return sorted(
        Deadline.status(due_on=p.next_visit_due_on, done_on=None, today=TODAY) for p in plans
    )


def test_one_visit_is_left_overdue_and_one_due_soon(alice):
    referrals = builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    plans = builders.cp_plans(referrals, icpc_on=date(2025, 5, 1))
    for plan in plans:  # seen every fourth working day: all in time
        day = add_working_days(plan.started_on, 4)
        while day <= TODAY:
            visit_record(referral=plan.referral, by=alice, kind=VisitKind.CP, visited_on=day,
                         child_seen=True, cp_plan=plan)  # fmt: skip
            day = add_working_days(day, 4)
    assert _statuses(plans) == [Deadline.DUE] * 3
    visits = Visit.objects.count()

    changed = leave_work_due(alice.worker, today=TODAY)

    assert len(changed) == 2
    assert _statuses(plans) == sorted([Deadline.OVERDUE, Deadline.DUE_SOON, Deadline.DUE])
    # The visits still happened (nothing deleted): the child was not seen at the later ones.
    assert Visit.objects.count() == visits
    assert Visit.objects.filter(child_seen=False, cp_plan__in=changed).exists()

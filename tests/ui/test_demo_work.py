"""The demo's worker has work overdue and due within days, by the visit due-date rule."""

from datetime import date

from accounts.models import Role
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


def test_the_demo_week_gives_sw_an_overdue_assessment_and_tm_one_to_authorise_late(
    alice, mary, henry, olive, team, login
):
    """Two assessments past their 45 working days, held in another team, move to sw: one
    stays in progress (sw's overdue step), one is completed and submitted (overdue on tm's
    authorisation queue). A colleague of sw is on leave today (workforce's step)."""
    from casework.demo_work import leave_demo_week
    from casework.models import Allocation, Assessment
    from casework.selectors.queues import assessments_awaiting_authorisation
    from casework.selectors.worktray import Kind, worktray_items
    from workforce.models import Absence

    colleague = builders.user_with_worker("bob", Role.SOCIAL_WORKER, team).worker
    late = builders.caseload(olive.worker, 2, referred_on=date(2025, 3, 3))  # due 6 May
    builders.assessments(late, worker=olive.worker)
    builders.caseload(olive.worker, 1, referred_on=date(2025, 6, 2))  # in time: stays
    users = {"sw": alice, "tm": mary, "hos": henry}

    leave_demo_week(users, today=TODAY)

    moved = Allocation.objects.filter(worker=alice.worker, ended_on__isnull=True)
    assert set(moved.values_list("referral", flat=True)) == {r.pk for r in late}
    items = worktray_items(worker=alice.worker, user=alice, today=TODAY, kind=Kind.ASSESSMENT)
    assert [i.status for i in items] == [Deadline.OVERDUE, Deadline.OVERDUE]
    assert Assessment.objects.filter(status=Assessment.Status.IN_PROGRESS, referral__in=late)
    queue = assessments_awaiting_authorisation(user=mary, team=team)
    assert [a.referral_id for a in queue] == [late[1].pk]
    assert queue[0].due_on < TODAY and queue[0].outcome == "cin_plan"
    leave = Absence.objects.get()
    assert leave.worker == colleague and leave.started_on < TODAY < leave.ended_on
    body = login(alice).get("/my-work/").content.decode()
    assert "Overdue" in body and "Assessment to be authorised" in body

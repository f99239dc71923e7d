"""Leave the demo's week alive: each role has work overdue and work due in the next few days.

The generator keeps almost every CP visit in time, so on the day the demo is loaded the
``sw`` login would have nothing overdue. Here the last visits of one of sw's children on a
CP plan found the child not seen (no access, a common reality), and on another plan the
visits since a week or so ago did; the domain's own rule (the next visit is due a
standard number of working days after the child was last *seen*,
``casework.services.visits``) then makes one visit overdue and one due within days. No
date or status is written by hand.

``leave_demo_week`` adds the rest through the services, as a manager and worker would:
two assessments already past their 45 working days move to sw (one still in progress for
sw, one completed and submitted, so tm's authorisation queue has an overdue item), and the
steps other apps own (a colleague of sw on leave today: workforce) run from
``DEMO_WEEK_STEPS``, registered from their AppConfig.ready so casework never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.calendar import working_days_between
from casework.models import (
    AllocationReason,
    Assessment,
    AssessmentOutcome,
    ChildProtectionPlan,
    Deadline,
    Visit,
    Worker,
)
from casework.predicates import open_allocation, open_allocations, open_episodes
from casework.services import case_allocate
from casework.services.assessments import (
    assessment_complete,
    assessment_record_child_seen,
    assessment_submit,
)
from casework.services.visits import move_next_visit_due
from casework.timescales import cp_visit_due_on

# Steps other apps add to the demo's week: (users by demo username, today) -> None.
DEMO_WEEK_STEPS: list[Callable[[dict[str, User], date], None]] = []


def register_demo_week_step(step: Callable[[dict[str, User], date], None]) -> None:
    if step not in DEMO_WEEK_STEPS:
        DEMO_WEEK_STEPS.append(step)


@transaction.atomic
def leave_demo_week(users: dict[str, User], *, today: date) -> None:
    """sw: CP visits overdue and due soon, an assessment overdue; tm: an overdue
    assessment to authorise; and whatever the other apps' steps add."""
    worker = users["sw"].worker
    leave_work_due(worker, today=today)
    if today > timezone.localdate():
        return  # a demo dated ahead of the clock: the services refuse future dates
    overdue = _overdue_assessments_elsewhere(worker, today=today)[:2]
    for assessment in overdue:
        case_allocate(referral=assessment.referral, by=users["hos"], worker=worker,
                      started_on=today, reason=AllocationReason.TRANSFER)  # fmt: skip
    if len(overdue) == 2:
        _submit(overdue[1], by=users["sw"], today=today)
    for step in DEMO_WEEK_STEPS:
        step(users, today)


def _overdue_assessments_elsewhere(worker: Worker, *, today: date) -> list[Assessment]:
    """Open assessments past their 45 working days, in progress, allocated to someone else
    (a transfer in, as happens when a worker leaves): oldest first."""
    held = open_allocations().filter(worker=worker)
    return list(
        Assessment.objects.current()
        .filter(
            open_allocation("referral__allocations__"),
            status=Assessment.Status.IN_PROGRESS,
            due_on__lt=today,
            referral__in=open_episodes(),
            child__is_restricted=False,
            referral__allocations__started_on__lte=today,
        )
        .exclude(referral__in=held.values("referral"))
        .select_related("referral")
        .order_by("due_on", "pk")
        .distinct()[:10]
    )


def _submit(assessment: Assessment, *, by: User, today: date) -> None:
    """sw completes the assessment today and sends it to tm: it reaches the queue late."""
    assessment_record_child_seen(assessment=assessment, by=by, seen_on=today)
    assessment.refresh_from_db()
    assessment = assessment_complete(
        assessment=assessment, by=by, completed_on=today, outcome=AssessmentOutcome.CIN_PLAN,
        factors=["3B"], summary="Domestic abuse between the parents: a child in need plan.",
    )  # fmt: skip
    assessment_submit(assessment=assessment, by=by, submitted_on=today)


def leave_work_due(worker: Worker, *, today: date) -> list[ChildProtectionPlan]:
    """Make one of ``worker``'s CP visits overdue and another due soon; returns the plans."""
    held = open_allocations().filter(worker=worker)
    plans = list(
        ChildProtectionPlan.objects.current()
        .filter(status=ChildProtectionPlan.Status.ACTIVE, referral__in=held.values("referral"))
        .order_by("pk")
    )
    wanted: list[Callable[[date], bool]] = [
        lambda due: due < today,
        lambda due: Deadline.status(due_on=due, done_on=None, today=today) == Deadline.DUE_SOON,
    ]
    changed = []
    for fits in wanted:
        for plan in plans:
            if plan in changed:
                continue
            if _unsee_visits_after(plan, fits, today=today):
                changed.append(plan)
                break
    return changed


def _unsee_visits_after(plan: ChildProtectionPlan, fits, *, today: date) -> bool:
    """The latest seen visit whose next-visit date ``fits``: later visits did not see the
    child, and the plan's next visit due follows from the visit that did."""
    seen = plan.visits.current().filter(child_seen=True, visited_on__lte=today)
    standard = plan.visit_standard_working_days
    for visit in seen.order_by("-visited_on", "-pk")[:20]:
        if working_days_between(visit.visited_on, today) > 40:
            break
        if fits(cp_visit_due_on(visit.visited_on, standard=standard)):
            later = seen.filter(visited_on__gt=visit.visited_on)
            Visit.objects.filter(pk__in=later.values("pk")).update(
                child_seen=False, seen_alone=False
            )
            move_next_visit_due(plan, by=None)
            return True
    return False

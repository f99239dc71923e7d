"""Leave the demo worker's week alive: some work overdue, some due in the next few days.

The generator keeps almost every CP visit in time, so on the day the demo is loaded the
``sw`` login would have nothing overdue. Here the last visits of one of sw's children on a
CP plan found the child not seen (no access, a common reality), and on another plan the
visits since a week or so ago did; the domain's own rule (the next visit is due a
standard number of working days after the child was last *seen*,
``casework.services.visits``) then makes one visit overdue and one due within days. No
date or status is written by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from casework.calendar import working_days_between
from casework.models import ChildProtectionPlan, Deadline, Visit, Worker
from casework.predicates import open_allocations
from casework.services.visits import move_next_visit_due
from casework.timescales import cp_visit_due_on


def leave_work_due(worker: Worker, *, today: date) -> list[ChildProtectionPlan]:
    """Make one of ``worker``'s CP visits overdue and another due soon; returns the plans."""
    held = open_allocations().filter(worker=worker)
    plans = list(
        ChildProtectionPlan.objects.current()
        .filter(status="active", referral__in=held.values("referral"))
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

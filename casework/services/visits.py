"""Visits: assessment, CIN and CP statutory visits.

A CP visit in which the child is seen moves the plan's next visit due date to the
authority's standard (working days) after the latest such visit, so a back-dated visit
never pulls the due date backwards. An assessment visit in which the child is seen
records the assessment's "child seen" date if it is the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max

from casework import errors, rules, timescales
from casework.errors import DomainError
from casework.models import Assessment, ChildProtectionPlan, Visit, VisitKind, Worker
from casework.services.common import actor, lock, save
from casework.services.permissions import require
from referrals.models import Referral


@transaction.atomic
def visit_record(
    *,
    referral: Referral,
    by,
    kind: str,
    visited_on: date,
    child_seen: bool,
    seen_alone: bool = False,
    worker: Worker | None = None,
    assessment: Assessment | None = None,
    cp_plan: ChildProtectionPlan | None = None,
    notes: str = "",
) -> Visit:
    """Record a visit on the episode (back-dating allowed within the episode)."""
    require(by, "visit_record")
    referral = lock(referral)
    if kind not in VisitKind.values:
        raise DomainError(errors.CHILD_BAD_CODE.format(value=kind, label="visit kind"), "kind")
    rules.within_episode(visited_on, referral, field="visited_on")
    if kind == VisitKind.CP:
        cp_plan = cp_plan or referral.cp_plans.current().filter(ended_on=None).first()
        if cp_plan is None:
            raise DomainError(errors.VISIT_CP_NEEDS_PLAN, field="cp_plan")
        cp_plan = lock(cp_plan)
        rules.not_before(visited_on, cp_plan.started_on, field="visited_on", other="plan start")
    visit = Visit(
        child_id=referral.child_id,
        referral=referral,
        kind=kind,
        assessment=assessment,
        cp_plan=cp_plan,
        worker=worker or Worker.objects.filter(user=by).first(),
        visited_on=visited_on,
        child_seen=child_seen,
        seen_alone=child_seen and seen_alone,
        notes=notes,
    )
    save(visit, by=by, why=f"Visit recorded by {actor(by)}")
    if cp_plan is not None and child_seen and cp_plan.ended_on is None:
        move_next_visit_due(cp_plan, by=by)
    if assessment is not None and child_seen:
        _first_seen(assessment, visited_on, by=by)
    return visit


@dataclass(frozen=True)
class SiblingVisit:
    """One child's part of a visit to a household: their episode and whether they were seen."""

    referral: Referral
    child_seen: bool
    seen_alone: bool = False
    assessment: Assessment | None = None
    cp_plan: ChildProtectionPlan | None = None


@transaction.atomic
def visits_record_for_siblings(
    *,
    visits: list[SiblingVisit],
    by,
    kind: str,
    visited_on: date,
    worker: Worker | None = None,
    notes: str = "",
) -> list[Visit]:
    """One household visit recorded for several children: all saved, or none."""
    if not visits:
        raise DomainError(errors.VISIT_NO_CHILDREN, field="children")
    return [
        visit_record(
            referral=v.referral,
            by=by,
            kind=kind,
            visited_on=visited_on,
            child_seen=v.child_seen,
            seen_alone=v.seen_alone,
            worker=worker,
            assessment=v.assessment,
            cp_plan=v.cp_plan,
            notes=notes,
        )
        for v in visits
    ]


def next_visit_due(plan: ChildProtectionPlan):
    """The visit rule: the plan's standard from the last visit the child was seen at (or
    the plan's start)."""
    last = plan.visits.current().filter(child_seen=True).aggregate(d=Max("visited_on"))["d"]
    since = max(last or plan.started_on, plan.started_on)
    return timescales.cp_visit_due_on(since, standard=plan.visit_standard_working_days)


def move_next_visit_due(plan: ChildProtectionPlan, *, by) -> None:
    due = next_visit_due(plan)
    if due != plan.next_visit_due_on:
        plan.next_visit_due_on = due
        save(plan, by=by, why=f"Next statutory visit due {due:%d/%m/%Y}")


def _first_seen(assessment: Assessment, seen_on: date, *, by) -> None:
    assessment = lock(assessment)
    if assessment.status == Assessment.Status.AUTHORISED:
        return
    if assessment.child_seen_on is None or seen_on < assessment.child_seen_on:
        assessment.child_seen_on = seen_on
        save(assessment, by=by, why=f"Child seen on a visit, {seen_on:%d/%m/%Y}")

"""Child protection plans (with review conferences and core groups) and CIN plans.

Timescales (domain.md section 3): first core group 10 working days after the ICPC; first
review 3 calendar months after the ICPC, later ones 6 calendar months after the last;
CP visits every ``Authority.cp_visit_standard_working_days`` working days.

A CIN plan never runs alongside a CP plan (census rule). Starting a CP plan ends the
child's active CIN plan the day before the ICPC (the CP plan supersedes it); starting a
CIN plan while a CP plan is active is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from casework import errors, rules, timescales
from casework.codes import AbuseCategory
from casework.errors import DomainError
from casework.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceKind,
    ConferenceOutcome,
    CoreGroup,
)
from casework.services.common import (
    ExpectedVersion,
    actor,
    check_transition,
    lock,
    lock_at_version,
    require_reason,
    save,
)
from casework.services.permissions import require
from casework.services.protection import child_spans, open_episode
from referrals.models import Referral


def decide_cp_plan_start(
    icpc: ChildProtectionConference,
    *,
    referral: Referral,
    category: str,
    started: bool,
    child_plans: Iterable[tuple[date, date | None]],
) -> str:
    """Starting a CP plan: from a held ICPC whose outcome is a plan, none ``started`` from
    it yet, with a census category, on the ICPC date within the episode, not overlapping
    another of the child's CP plans (``child_plans`` their start and end dates).
    ``cp_plan_start`` reads both; the generator knows them from its rows."""
    if icpc.kind != ConferenceKind.INITIAL or icpc.outcome != ConferenceOutcome.PLAN:
        raise DomainError(errors.PLAN_ICPC_NOT_PLAN, field="icpc")
    if icpc.status != ChildProtectionConference.Status.HELD:
        raise DomainError(errors.PLAN_ICPC_NOT_HELD, field="icpc")
    if started:
        raise DomainError(errors.PLAN_ALREADY_STARTED, field="icpc")
    if category not in AbuseCategory.values:
        raise DomainError(errors.PLAN_CATEGORY_REQUIRED, field="category")
    started_on = icpc.held_on
    rules.cp_plan_starts_on_icpc(started_on, icpc.held_on)
    rules.within_episode(started_on, referral, field="started_on")
    rules.no_overlap(started_on, child_plans, message=errors.CP_PLAN_OVERLAPS, field="started_on")
    return ChildProtectionPlan.Status.ACTIVE


@transaction.atomic
def cp_plan_start(
    *,
    icpc: ChildProtectionConference,
    by,
    category: str,
    expected_version: ExpectedVersion = None,
) -> ChildProtectionPlan:
    """Start a CP plan on the ICPC date, from an ICPC whose outcome is a plan."""
    require(by, "cp_plan_start")
    icpc = lock_at_version(icpc, expected_version)
    referral = open_episode(icpc.referral)
    decide_cp_plan_start(
        icpc,
        referral=referral,
        category=category,
        started=ChildProtectionPlan.objects.filter(icpc=icpc).exists(),
        child_plans=child_spans(ChildProtectionPlan, icpc.child_id),
    )
    started_on = icpc.held_on
    _end_cin_plans_before(icpc.child_id, started_on, by=by)
    plan = ChildProtectionPlan(
        child_id=icpc.child_id,
        referral=referral,
        icpc=icpc,
        started_on=started_on,
        initial_category=category,
        latest_category=category,
        first_core_group_due_on=timescales.first_core_group_due_on(started_on),
        next_review_due_on=timescales.first_review_due_on(started_on),
        next_visit_due_on=timescales.cp_visit_due_on(started_on),
    )
    return save(plan, by=by, why=f"Child protection plan ({category}) started by {actor(by)}")


def _end_cin_plans_before(child_id: int, cp_start: date, *, by) -> None:
    for cin in CINPlan.objects.current().select_for_update().filter(child_id=child_id):
        if cin.ended_on is not None and cin.ended_on < cp_start:
            continue
        if cin.ended_on is not None or cin.started_on >= cp_start:
            raise DomainError(errors.CIN_PLAN_STARTS_ON_ICPC, field="started_on")
        cin.end()
        cin.ended_on = cp_start - timedelta(days=1)
        save(cin, by=by, why="Ended the day before a child protection plan started")


def decide_review(
    plan: ChildProtectionPlan, *, held_on: date, outcome: str, latest_category: str = ""
) -> str:
    """A review conference on an active plan: the plan's status after it (ended or not)."""
    check_transition(plan, plan.end, action="review", thing="a child protection plan")
    if outcome not in (ConferenceOutcome.CONTINUE, ConferenceOutcome.END_PLAN):
        raise DomainError(errors.REVIEW_OUTCOME, field="outcome")
    if latest_category and latest_category not in AbuseCategory.values:
        raise DomainError(errors.PLAN_CATEGORY_REQUIRED, field="latest_category")
    rules.within_episode(held_on, plan.referral, field="held_on")
    rules.not_before(held_on, plan.started_on, field="held_on", other="start of the plan")
    if outcome == ConferenceOutcome.END_PLAN:
        return ChildProtectionPlan.Status.ENDED
    return plan.status


@transaction.atomic
def review_record(
    *,
    plan: ChildProtectionPlan,
    by,
    held_on: date,
    outcome: str,
    latest_category: str = "",
    chair: str = "",
    expected_version: ExpectedVersion = None,
) -> ChildProtectionConference:
    """Hold a review conference: the plan continues (next review in 6 months) or ends."""
    require(by, "review_record")
    plan = lock_at_version(plan, expected_version)
    decide_review(plan, held_on=held_on, outcome=outcome, latest_category=latest_category)
    review = ChildProtectionConference(
        child_id=plan.child_id,
        referral_id=plan.referral_id,
        kind=ConferenceKind.REVIEW,
        plan=plan,
        due_on=plan.next_review_due_on or held_on,
        chair=chair,
    )
    review.hold()
    review.held_on, review.outcome = held_on, outcome
    save(review, by=by, why=f"Review conference recorded by {actor(by)}")
    plan.latest_category = latest_category or plan.latest_category
    if outcome == ConferenceOutcome.END_PLAN:
        plan.end()
        plan.ended_on, plan.end_reason = held_on, "Ended at review conference"
        plan.next_review_due_on = plan.next_visit_due_on = None
    else:
        plan.next_review_due_on = timescales.next_review_due_on(held_on)
    save(plan, by=by, why=f"Review conference ({outcome}) recorded by {actor(by)}")
    return review


@transaction.atomic
def cp_plan_end(
    *,
    plan: ChildProtectionPlan,
    by,
    ended_on: date,
    reason: str,
    expected_version: ExpectedVersion = None,
) -> ChildProtectionPlan:
    """End a plan outside a review (e.g. transfer out, the child died): managers only."""
    require(by, "cp_plan_end")
    plan = lock_at_version(plan, expected_version)
    return _end_plan(plan, by=by, ended_on=ended_on, reason=reason)


@transaction.atomic
def cp_plan_visit_standard_set(
    *,
    plan: ChildProtectionPlan,
    by,
    working_days: int | None,
    reason: str,
    expected_version: ExpectedVersion = None,
) -> ChildProtectionPlan:
    """Vary how often an active plan's child must be visited (managers only; None goes
    back to the authority's standard), with the reason in the plan's history; the next
    visit's due date moves by the visit rule."""
    from casework.services.visits import next_visit_due

    require(by, "cp_plan_visit_standard_set")
    plan = lock_at_version(plan, expected_version)
    check_transition(plan, plan.end, action="vary the visits of", thing="a child protection plan")
    low, high = timescales.PLAN_VISIT_STANDARD_MIN, timescales.PLAN_VISIT_STANDARD_MAX
    if working_days is not None and not low <= working_days <= high:
        raise DomainError(
            errors.VISIT_STANDARD_RANGE.format(low=low, high=high), field="working_days"
        )
    reason = require_reason(reason)
    plan.visit_standard_working_days = working_days
    plan.next_visit_due_on = next_visit_due(plan)
    standard = working_days or timescales.cp_visit_standard()
    why = f"Visit standard set to {standard} working days by {actor(by)}: {reason}"
    return save(plan, by=by, why=why)


LOOKED_AFTER_REASON = "The child became looked after"


@transaction.atomic
def cp_plan_end_on_looked_after(
    *, plan: ChildProtectionPlan, by, ended_on: date
) -> ChildProtectionPlan:
    """A plan ends the day the child becomes looked after (the care plan replaces it).

    Recorded by whoever records the child's entry to care (the care service checks
    that permission), so a social worker recording it is not refused a manager's step.
    """
    return _end_plan(plan, by=by, ended_on=ended_on, reason=LOOKED_AFTER_REASON)


def decide_cp_plan_end(plan: ChildProtectionPlan, *, ended_on: date, reason: str) -> str:
    check_transition(plan, plan.end, action="end", thing="a child protection plan")
    require_reason(reason)
    rules.within_episode(ended_on, plan.referral, field="ended_on")
    rules.not_before(ended_on, plan.started_on, field="ended_on", other="start of the plan")
    return ChildProtectionPlan.Status.ENDED


def _end_plan(plan: ChildProtectionPlan, *, by, ended_on: date, reason: str):
    plan = lock(plan)
    decide_cp_plan_end(plan, ended_on=ended_on, reason=reason)
    reason = require_reason(reason)
    plan.end()
    plan.ended_on, plan.end_reason = ended_on, reason
    plan.next_review_due_on = plan.next_visit_due_on = None
    return save(plan, by=by, why=f"Plan ended by {actor(by)}: {reason}")


@transaction.atomic
def core_group_record(
    *,
    plan: ChildProtectionPlan,
    by,
    held_on: date,
    notes: str = "",
    expected_version: ExpectedVersion = None,
) -> CoreGroup:
    """Record a core group; the first is due 10 working days after the ICPC."""
    require(by, "core_group_record")
    plan = lock_at_version(plan, expected_version)
    rules.within_episode(held_on, plan.referral, field="held_on")
    rules.not_before(held_on, plan.started_on, field="held_on", other="start of the plan")
    if plan.ended_on and held_on > plan.ended_on:
        raise DomainError(errors.DATE_AFTER_CLOSURE.format(closed_on=plan.ended_on), "held_on")
    first = not plan.core_groups.current().exists()
    group = CoreGroup(
        plan=plan,
        due_on=plan.first_core_group_due_on if first else None,
        held_on=held_on,
        notes=notes,
    )
    return save(group, by=by, why=f"Core group recorded by {actor(by)}")


@transaction.atomic
def cin_plan_start(*, referral: Referral, by, started_on: date) -> CINPlan:
    """Start a CIN plan; refused while the child is on a CP plan (census rule)."""
    require(by, "cin_plan_start")
    referral = open_episode(referral)
    decide_cin_plan_start(
        referral=referral,
        started_on=started_on,
        child_cp_plans=child_spans(ChildProtectionPlan, referral.child_id),
        child_cin_plans=child_spans(CINPlan, referral.child_id),
    )
    plan = CINPlan(child_id=referral.child_id, referral=referral, started_on=started_on)
    return save(plan, by=by, why=f"Child in need plan started by {actor(by)}")


def decide_cin_plan_start(
    *,
    referral: Referral,
    started_on: date,
    child_cp_plans: Iterable[tuple[date, date | None]],
    child_cin_plans: Iterable[tuple[date, date | None]],
) -> str:
    """Starting a CIN plan: within the episode, not while the child is on a CP plan nor
    overlapping another CIN plan (census; the child's plans as start and end dates).
    ``cin_plan_start`` reads them; the generator knows them from its rows."""
    rules.within_episode(started_on, referral, field="started_on")
    rules.no_overlap(
        started_on, child_cp_plans, message=errors.CIN_PLAN_DURING_CP_PLAN, field="started_on"
    )
    rules.no_overlap(
        started_on, child_cin_plans, message=errors.CIN_PLAN_OVERLAPS, field="started_on"
    )
    return CINPlan.Status.ACTIVE


def decide_cin_plan_end(plan: CINPlan, *, ended_on: date) -> str:
    check_transition(plan, plan.end, action="end", thing="a child in need plan")
    rules.within_episode(ended_on, plan.referral, field="ended_on")
    rules.not_before(ended_on, plan.started_on, field="ended_on", other="start of the plan")
    return CINPlan.Status.ENDED


@transaction.atomic
def cin_plan_end(
    *, plan: CINPlan, by, ended_on: date, expected_version: ExpectedVersion = None
) -> CINPlan:
    require(by, "cin_plan_end")
    plan = lock_at_version(plan, expected_version)
    decide_cin_plan_end(plan, ended_on=ended_on)
    plan.end()
    plan.ended_on = ended_on
    return save(plan, by=by, why=f"Child in need plan ended by {actor(by)}")

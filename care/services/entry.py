"""A child becomes looked after: the period, its first episode (RNE S) and placement; an
active CP plan ends that day; the CIN episode's worker carries on."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from care import codes, errors, timescales
from care.models import CareEpisode, CarePeriod
from care.services.checks import checked_code, checked_legal_status
from care.services.placements import PlacementDetails, new_placement, validate_placement
from casework import rules
from casework.errors import DomainError
from casework.models import Child, ChildProtectionPlan, Worker
from casework.predicates import open_allocations, open_episodes
from casework.services.common import actor, lock, save
from casework.services.permissions import require
from casework.services.plans import cp_plan_end_on_looked_after
from casework.services.protection import open_episode
from referrals.models import Referral


@transaction.atomic
def care_start(
    *,
    child: Child,
    by,
    started_on: date,
    legal_status: str,
    category_of_need: str,
    placement: PlacementDetails,
    referral: Referral | None = None,
    worker: Worker | None = None,
    uasc: bool = False,
    home_postcode: str = "",
) -> CarePeriod:
    """A child becomes looked after, from their open CIN/CP episode or directly."""
    require(by, "care_start")
    child = lock(child)
    rules.not_in_future(started_on, field="started_on")
    checked_legal_status(child, legal_status, started_on)
    checked_code(category_of_need, codes.CategoryOfNeed, label="category of need",
                 field="category_of_need")  # fmt: skip
    validate_placement(placement)
    if placement.place in codes.TEMPORARY_PLACEMENTS:
        raise DomainError(errors.TEMPORARY_AT_START_OR_END, field="place")
    _no_overlapping_period(child, started_on)
    if referral is None:
        referral = open_episodes().filter(child=child).first()
    if referral is not None:
        referral = open_episode(referral)
    period = CarePeriod(
        child=child,
        referral=referral,
        worker=worker or _carrying_worker(referral),
        started_on=started_on,
        uasc=uasc,
        next_review_due_on=timescales.first_review_due_on(started_on),
        next_health_due_on=timescales.initial_health_due_on(started_on),
        next_pep_due_on=timescales.first_pep_due_on(started_on),
        next_visit_due_on=timescales.next_visit_due_on(
            started_on, None, long_term=placement.long_term
        ),
    )
    save(period, by=by, why=f"Became looked after, recorded by {actor(by)}")
    first = new_placement(period, placement, started_on, by=by)
    episode = CareEpisode(
        child=child,
        period=period,
        placement=first,
        started_on=started_on,
        reason_new_episode=codes.NewEpisodeReason.S,
        legal_status=legal_status,
        category_of_need=category_of_need,
        home_postcode=(home_postcode or child.postcode).strip().upper(),
    )
    save(episode, by=by, why=f"First episode of care recorded by {actor(by)}")
    _end_cp_plan(child, started_on, by=by)
    return period


def _carrying_worker(referral: Referral | None) -> Worker | None:
    """The worker allocated to the child in need episode the child came into care from."""
    if referral is None:
        return None
    allocation = open_allocations().filter(referral=referral).select_related("worker").first()
    return allocation.worker if allocation else None


def _no_overlapping_period(child: Child, started_on: date) -> None:
    for other in CarePeriod.objects.current().filter(child=child).order_by("-started_on"):
        if other.ended_on is None:
            raise DomainError(
                errors.ALREADY_LOOKED_AFTER.format(started_on=other.started_on), "started_on"
            )
        if other.started_on >= started_on:
            raise DomainError(
                errors.STARTED_BEFORE_PREVIOUS.format(started_on=other.started_on), "started_on"
            )
        if started_on <= other.ended_on:
            raise DomainError(
                errors.PERIODS_OVERLAP.format(ended_on=other.ended_on), field="started_on"
            )


def _end_cp_plan(child: Child, on: date, *, by) -> None:
    plans = ChildProtectionPlan.objects.current().filter(
        child=child, status=ChildProtectionPlan.Status.ACTIVE
    )
    for plan in plans:
        try:
            cp_plan_end_on_looked_after(plan=plan, by=by, ended_on=on)
        except DomainError as refused:
            raise DomainError(refused.message, field="started_on") from refused

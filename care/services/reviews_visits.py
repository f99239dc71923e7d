"""Looked-after reviews and statutory visits (reg 28), and a manager's varied visit
frequency: each moves the period's next due date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from care import codes, errors, timescales
from care.models import CarePeriod, CareReview, CareVisit
from care.services.checks import checked_code, within_period
from care.services.periods import looked_after
from care.services.placements import placement_on, refresh_visit_due
from casework.errors import DomainError
from casework.models import Worker
from casework.services.common import ExpectedVersion, actor, require_reason, save
from casework.services.permissions import require


@transaction.atomic
def care_review_record(
    *,
    period: CarePeriod,
    by,
    held_on: date,
    participation: str,
    expected_version: ExpectedVersion = None,
) -> CareReview:
    """A looked-after review: the next is due 3 months after the first, then 6-monthly."""
    require(by, "care_review_record")
    period = looked_after(period, expected_version=expected_version)
    within_period(period, held_on, field="held_on")
    checked_code(participation, codes.ReviewParticipation, label="participation code",
                 field="participation")  # fmt: skip
    age = period.child.age_on(held_on)
    if age is not None and age < 4 and participation != codes.ReviewParticipation.PN0:
        raise DomainError(errors.PARTICIPATION_UNDER_4, field="participation")
    if (
        (age is None or age >= 4)
        and participation == codes.ReviewParticipation.PN0
        and period.child.date_of_birth
    ):
        raise DomainError(errors.PARTICIPATION_NOT_UNDER_4, field="participation")
    held = period.reviews.current()
    review = CareReview(
        child_id=period.child_id,
        period=period,
        number=held.count() + 1,
        due_on=period.next_review_due_on or held_on,
        held_on=held_on,
        participation=participation,
    )
    save(review, by=by, why=f"Looked-after review recorded by {actor(by)}")
    latest = held.aggregate(d=Max("held_on"))["d"]
    period.next_review_due_on = timescales.next_review_due_on(latest, reviews_held=review.number)
    save(period, by=by, why=f"Next review due {period.next_review_due_on:%d/%m/%Y}")
    return review


@transaction.atomic
def care_visit_record(
    *,
    period: CarePeriod,
    by,
    visited_on: date,
    child_seen: bool,
    seen_alone: bool = False,
    worker: Worker | None = None,
    notes: str = "",
    expected_version: ExpectedVersion = None,
) -> CareVisit:
    """A statutory visit to a looked-after child (reg 28); the next falls due from it."""
    require(by, "care_visit_record")
    period = looked_after(period, expected_version=expected_version)
    within_period(period, visited_on, field="visited_on")
    placement = placement_on(period, visited_on)
    current = placement_on(period, date.max)
    visit = CareVisit(
        child_id=period.child_id,
        period=period,
        placement=placement,
        worker=worker or Worker.objects.filter(user=by).first(),
        due_on=period.next_visit_due_on if placement == current else visited_on,
        visited_on=visited_on,
        child_seen=child_seen,
        seen_alone=child_seen and seen_alone,
        notes=notes,
    )
    save(visit, by=by, why=f"Looked-after child visit recorded by {actor(by)}")
    refresh_visit_due(period, by=by)
    return visit


@transaction.atomic
def care_visit_frequency_set(
    *,
    period: CarePeriod,
    by,
    interval_days: int | None,
    reason: str,
    today: date | None = None,
    expected_version: ExpectedVersion = None,
) -> CarePeriod:
    """A manager sets visits more often than the regulation's maximum (None: the default)."""
    require(by, "care_visit_frequency_set")
    period = looked_after(period, expected_version=expected_version)
    reason = require_reason(reason)
    if interval_days is not None:
        placement = placement_on(period, date.max)
        maximum = timescales.legal_max_visit_interval_days(
            placement.started_on, today or timezone.localdate(), long_term=placement.long_term
        )
        if not 1 <= interval_days <= maximum:
            raise DomainError(
                errors.INTERVAL_OUT_OF_RANGE.format(maximum=maximum), field="interval_days"
            )
    period.visit_interval_days, period.visit_interval_reason = interval_days, reason
    save(period, by=by, why=f"Visit frequency varied by {actor(by)}: {reason}")
    refresh_visit_due(period, by=by)
    return period

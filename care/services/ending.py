"""The child ceases to be looked after (SSDA903 REC): the decision, then the save."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from care import codes, errors
from care.models import CareEpisode, CarePeriod
from care.services.checks import checked_code
from care.services.periods import current_episode, open_period
from care.services.placements import end_placement
from casework import rules
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, actor, check_transition, save
from casework.services.permissions import require


def decide_care_end(
    period: CarePeriod, *, episode: CareEpisode, ended_on: date, reason_ceased: str
) -> str:
    """Ceasing care (SSDA903): a reason that fits the last placement and the child's age,
    not before the last episode began; X1 only links episodes, it ends nothing."""
    check_transition(period, period.cease, action="end", thing="a period of care")
    rules.not_in_future(ended_on, field="ended_on")
    if ended_on < episode.started_on:
        raise DomainError(
            errors.BEFORE_EPISODE.format(started_on=episode.started_on), field="ended_on"
        )
    checked_code(reason_ceased, codes.ReasonCeased, label="reason for ceasing",
                 field="reason_ceased")  # fmt: skip
    if reason_ceased == codes.ReasonCeased.X1:
        raise DomainError(errors.X1_NOT_AN_END, field="reason_ceased")
    if episode.placement.place in codes.TEMPORARY_PLACEMENTS:
        raise DomainError(errors.TEMPORARY_AT_START_OR_END, field="ended_on")
    age = period.child.age_on(ended_on)
    if reason_ceased in codes.ADOPTED and (
        episode.placement.place not in codes.ADOPTION_PLACEMENTS or (age is not None and age >= 18)
    ):
        raise DomainError(errors.ADOPTION_NEEDS_ADOPTIVE_PLACEMENT, field="reason_ceased")
    minimum = codes.REASON_MIN_AGE.get(reason_ceased)
    if minimum is not None and (age is None or age < minimum):
        raise DomainError(
            errors.REASON_TOO_YOUNG.format(code=reason_ceased, age=minimum), "reason_ceased"
        )
    return CarePeriod.Status.CEASED


@transaction.atomic
def care_end(
    *,
    period: CarePeriod,
    by,
    ended_on: date,
    reason_ceased: str,
    expected_version: ExpectedVersion = None,
) -> CarePeriod:
    """The child ceases to be looked after: the last episode ends with ``reason_ceased``."""
    require(by, "care_end")
    period = open_period(period, action="end", expected_version=expected_version)
    episode = current_episode(period)
    decide_care_end(period, episode=episode, ended_on=ended_on, reason_ceased=reason_ceased)
    episode.ended_on, episode.reason_ceased = ended_on, reason_ceased
    save(episode, by=by, why=f"Last episode ended ({reason_ceased}) by {actor(by)}")
    end_placement(episode.placement, ended_on, "", by=by)
    period.cease()
    period.ended_on, period.reason_ceased = ended_on, reason_ceased
    period.next_review_due_on = period.next_visit_due_on = None
    period.next_health_due_on = period.next_pep_due_on = None
    return save(period, by=by, why=f"Ceased to be looked after ({reason_ceased}), {actor(by)}")

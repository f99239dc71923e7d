"""A period of care locked for an operation, and the episode open in it."""

from __future__ import annotations

from care import errors
from care.models import CareEpisode, CarePeriod
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, check_transition, lock_at_version


def open_period(
    period: CarePeriod, *, action: str, expected_version: ExpectedVersion = None
) -> CarePeriod:
    """The period locked at the version seen, refused unless it may still cease."""
    period = lock_at_version(period, expected_version)
    check_transition(period, period.cease, action=action, thing="a period of care")
    return period


def looked_after(period: CarePeriod, *, expected_version: ExpectedVersion = None) -> CarePeriod:
    """The period locked at the version seen, refused unless the child is looked after."""
    period = lock_at_version(period, expected_version)
    if period.status != CarePeriod.Status.LOOKED_AFTER:
        raise DomainError(errors.NOT_LOOKED_AFTER, field="period")
    return period


def current_episode(period: CarePeriod) -> CareEpisode:
    """The period's open episode, locked, with its placement."""
    return (
        CareEpisode.objects.current()
        .select_for_update()
        .select_related("placement")
        .get(period=period, ended_on__isnull=True)
    )

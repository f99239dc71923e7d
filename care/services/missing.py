"""A child missing or away from placement, their return and the return home interview."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from care import codes, errors, timescales
from care.models import CarePeriod, MissingEpisode
from care.services.checks import checked_code, within_period
from casework import rules
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, actor, lock_at_version, save
from casework.services.permissions import require


@transaction.atomic
def missing_record(
    *,
    period: CarePeriod,
    by,
    kind: str,
    started_on: date,
    ended_on: date | None = None,
    expected_version: ExpectedVersion = None,
) -> MissingEpisode:
    """A child missing or away from placement; a return interview is due within 72 hours."""
    require(by, "missing_record")
    period = lock_at_version(period, expected_version)
    within_period(period, started_on, field="started_on")
    checked_code(kind, codes.MissingKind, label="kind of episode", field="kind")
    episode = MissingEpisode(
        child_id=period.child_id, period=period, kind=kind, started_on=started_on,
        recorded_by=by,
    )  # fmt: skip
    if ended_on is not None:
        _returned(episode, ended_on)
    return save(episode, by=by, why=f"Missing episode recorded by {actor(by)}")


def _returned(episode: MissingEpisode, ended_on: date) -> None:
    rules.not_in_future(ended_on, field="ended_on")
    if ended_on < episode.started_on:
        raise DomainError(errors.MISSING_ENDS_BEFORE_START, field="ended_on")
    episode.ended_on = ended_on
    episode.return_interview_due_on = timescales.return_interview_due_on(ended_on)


@transaction.atomic
def missing_return_record(
    *,
    missing: MissingEpisode,
    by,
    ended_on: date | None = None,
    interview_offered: bool = False,
    interview_on: date | None = None,
    expected_version: ExpectedVersion = None,
) -> MissingEpisode:
    """The child's return and/or the return home interview offered and held."""
    require(by, "missing_record")
    missing = lock_at_version(missing, expected_version)
    if ended_on is not None:
        if missing.ended_on is not None and ended_on != missing.ended_on:
            raise DomainError(errors.MISSING_ALREADY_RETURNED, field="ended_on")
        _returned(missing, ended_on)
    if interview_on is not None:
        rules.not_in_future(interview_on, field="interview_on")
        if missing.ended_on is None or interview_on < missing.ended_on:
            raise DomainError(errors.INTERVIEW_BEFORE_RETURN, field="interview_on")
        missing.return_interview_on = interview_on
        interview_offered = True
    missing.return_interview_offered = missing.return_interview_offered or interview_offered
    return save(missing, by=by, why=f"Return from missing recorded by {actor(by)}")

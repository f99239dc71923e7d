"""Field checks the care services share: a code from its SSDA903 list, a legal status the
child's age allows, a day inside the period of care."""

from __future__ import annotations

from datetime import date

from care import codes, errors
from care.models import CarePeriod
from casework import rules
from casework.errors import DomainError
from casework.models import Child


def checked_code(value: str, choices, *, label: str, field: str) -> str:
    """``value`` if it is one of ``choices``' codes, else refused beside ``field``."""
    if value not in choices.values:
        raise DomainError(errors.BAD_CODE.format(label=label), field=field)
    return value


def checked_legal_status(child: Child, value: str, on: date) -> str:
    """A legal status code; youth justice ones only for a child of 10 or over."""
    checked_code(value, codes.LegalStatus, label="legal status", field="legal_status")
    age = child.age_on(on)
    if value in codes.YOUTH_JUSTICE and (age is None or age < 10):
        raise DomainError(errors.YOUTH_JUSTICE_AGE, field="legal_status")
    return value


def within_period(period: CarePeriod, day: date, *, field: str) -> None:
    """``day`` is not in the future and falls inside the period of care."""
    rules.not_in_future(day, field=field)
    if day < period.started_on:
        raise DomainError(errors.OUTSIDE_PERIOD.format(started_on=period.started_on), field)
    if period.ended_on is not None and day > period.ended_on:
        raise DomainError(errors.AFTER_PERIOD.format(ended_on=period.ended_on), field)

"""Every write to the establishment, supervision and audits goes through these modules."""

from __future__ import annotations

from datetime import date

from django.db import models

from casework import rules
from casework.errors import DomainError, DomainPermissionError
from casework.signals import record_dated
from workforce import errors


def record(obj: models.Model, *, by, why: str, day: date | None = None) -> models.Model:
    """Save with history saying who and why; recompute the KPIs of periods from ``day``."""
    obj._history_user = by
    obj._change_reason = why[:100]
    obj.save()
    if day is not None:
        record_dated.send(sender=type(obj), record=obj, day=day)
    return obj


def not_future(day: date, field: str) -> date:
    if day > rules.present():
        raise DomainError(errors.FUTURE_DATE, field=field)
    return day


def refuse(message: str, **kw) -> None:
    raise DomainPermissionError(message.format(**kw))

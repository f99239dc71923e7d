"""Unaccompanied asylum-seeking status on a period of care (SSDA903 UASC and DUC)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from care import errors
from care.models import CarePeriod
from casework import rules
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, actor, lock_at_version, save
from casework.services.permissions import require


@transaction.atomic
def uasc_set(
    *,
    period: CarePeriod,
    by,
    uasc: bool,
    ceased_on: date | None = None,
    expected_version: ExpectedVersion = None,
) -> CarePeriod:
    """Unaccompanied asylum-seeking status, and the date it ceased (SSDA903 DUC)."""
    require(by, "uasc_set")
    period = lock_at_version(period, expected_version)
    if ceased_on is not None:
        if not uasc:
            raise DomainError(errors.UASC_CEASED_WITHOUT_STATUS, field="ceased_on")
        rules.not_in_future(ceased_on, field="ceased_on")
    period.uasc, period.uasc_ceased_on = uasc, ceased_on
    return save(period, by=by, why=f"UASC status recorded by {actor(by)}")

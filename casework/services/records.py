"""Entered in error: the only way a case record leaves lists, KPIs and returns.

Nothing is deleted (style.md rule 7): the record keeps its data and history and is
flagged with who, when and why. A referral marked in error takes its whole episode with
it, since everything recorded on it hangs off a referral that never happened.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from casework import errors
from casework.errors import DomainError
from casework.models.base import CaseRecord
from casework.services.common import actor, lock, require_reason, save
from casework.services.permissions import require
from referrals.models import Referral

# Everything hanging off a referral (related names on Referral).
REFERRAL_DEPENDENTS = (
    "assessments",
    "strategy_discussions",
    "s47s",
    "conferences",
    "cp_plans",
    "cin_plans",
    "visits",
    "allocations",
)


@transaction.atomic
def record_mark_entered_in_error(*, record: CaseRecord, by, reason: str) -> CaseRecord:
    require(by, "record_mark_entered_in_error")
    reason = require_reason(reason)
    record = lock(record)
    if record.entered_in_error:
        raise DomainError(errors.ALREADY_IN_ERROR, field="entered_in_error")
    _mark(record, by=by, reason=reason)
    if isinstance(record, Referral):
        for name in REFERRAL_DEPENDENTS:
            for dependent in (
                getattr(record, name).select_for_update().filter(entered_in_error=False)
            ):
                _mark(dependent, by=by, reason=f"Referral entered in error: {reason}")
        for plan in record.cp_plans.all():
            for group in plan.core_groups.select_for_update().filter(entered_in_error=False):
                _mark(group, by=by, reason=f"Referral entered in error: {reason}")
    return record


def _mark(record: CaseRecord, *, by, reason: str) -> None:
    record.entered_in_error = True
    record.entered_in_error_reason = reason
    record.entered_in_error_at = timezone.now()
    record.entered_in_error_by = by
    save(record, by=by, why=f"Marked entered in error by {actor(by)}: {reason}")

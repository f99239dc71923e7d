"""Census data-quality rules (domain.md section 2, last bullet) as reusable checks.

Each check raises ``DomainError(message, field=...)`` and writes nothing, so services,
forms, the API and the importer all enforce the same rule with the same message. The
overlap checks take the child's other records; callers exclude rows entered in error.

Intervals: a record runs from its start to its end date inclusive, and one still open
runs on indefinitely. Two records overlap when they share any day, so a new assessment,
enquiry or plan must start after the previous one ended (the census rejects same-day
overlaps too).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.utils import timezone

from casework import calendar, errors
from casework.codes import (
    ASSESSMENT_FACTORS,
    CLOSED_AFTER_ASSESSMENT,
    NO_FACTORS,
    ClosureReason,
    UPNUnknownReason,
)
from casework.errors import DomainError

UPN_UNKNOWN_REFERRAL_NFA = UPNUnknownReason.UN7


# The day a generated authority's history is written as of (its end date, which may be
# after the real or a test's pinned today): the generator asks the services' decisions for
# every status, and their "not in the future" means "not after that day" while it runs.
_GENERATED_PRESENT: ContextVar[date | None] = ContextVar("generated_present", default=None)


@contextmanager
def generated_as_of(day: date) -> Iterator[None]:
    token = _GENERATED_PRESENT.set(day)
    try:
        yield
    finally:
        _GENERATED_PRESENT.reset(token)


def present() -> date:
    """Today, or the generated present while an authority is generated."""
    return _GENERATED_PRESENT.get() or timezone.localdate()


def not_in_future(day: date | None, *, field: str, today: date | None = None) -> None:
    """``today`` None is the present (``present``); early help's decisions pass it."""
    if day is not None and day > (today or present()):
        raise DomainError(errors.DATE_IN_FUTURE, field=field)


def within_episode(day: date | None, referral, *, field: str) -> None:
    """Nothing is dated before the referral, after the episode's closure, or in the future."""
    if day is None:
        return
    not_in_future(day, field=field)
    if day < referral.referred_on:
        raise DomainError(
            errors.DATE_BEFORE_REFERRAL.format(referred_on=referral.referred_on), field=field
        )
    if referral.closed_on is not None and day > referral.closed_on:
        raise DomainError(
            errors.DATE_AFTER_CLOSURE.format(closed_on=referral.closed_on), field=field
        )


def not_before(day: date | None, earlier: date | None, *, field: str, other: str) -> None:
    """``day`` is on or after ``earlier`` (e.g. assessment start <= authorisation)."""
    if day is not None and earlier is not None and day < earlier:
        raise DomainError(errors.DATE_BEFORE.format(other=other, other_on=earlier), field=field)


def child_seen_before_authorising(
    seen_on: date | None, authorised_on: date | None, *, seen_in_source: bool = False
) -> None:
    """An assessment is authorised only once the child has been seen, and not before that
    date (domain.md section 1). The one decision the service, the importer and the generator
    take. ``seen_in_source``: the authorisation was made in another system whose census
    file carries no seen date (the census has no such item), so only a seen date Caseflow
    already holds is checked against it."""
    if seen_on is None:
        if seen_in_source:
            return
        raise DomainError(errors.ASSESSMENT_CHILD_NOT_SEEN, field="child_seen_on")
    not_before(authorised_on, seen_on, field="authorised_on", other="date the child was seen")


def upn_unknown_fits_referrals(reason: str, referral_nfa: Iterable[bool]) -> None:
    """UN7 means "referral with no further action" in the census (DfE rule 8772), not "aged
    6 or over": only a child every one of whose referrals was NFA may have it."""
    if reason == UPN_UNKNOWN_REFERRAL_NFA and not all(referral_nfa):
        raise DomainError(errors.CHILD_UN7_NOT_NFA, field="upn_unknown_reason")


def working_day(day: date, *, field: str) -> None:
    """ICPC dates and targets fall on working days (census rule)."""
    if not calendar.is_working_day(day):
        raise DomainError(errors.NOT_A_WORKING_DAY.format(day=day), field=field)


def _overlapping(start: date, spans: Iterable[tuple[date, date | None]]):
    """The first existing (start, end) span sharing a day with an open span from ``start``."""
    for other_start, other_end in sorted(spans):
        if other_end is None or start <= other_end:
            return other_start
    return None


def no_overlap(
    start: date, spans: Iterable[tuple[date, date | None]], *, message: str, field: str
) -> None:
    """A new open-ended record from ``start`` shares no day with the existing spans."""
    clash = _overlapping(start, spans)
    if clash is not None:
        raise DomainError(message.format(started_on=clash), field=field)


def closure_date_and_reason(closed_on: date | None, reason: str) -> None:
    """A closure date needs a reason and a reason needs a date (census)."""
    if closed_on is not None and not reason:
        raise DomainError(errors.EPISODE_CLOSURE_REASON_REQUIRED, field="closure_reason")
    if reason and closed_on is None:
        raise DomainError(errors.EPISODE_CLOSURE_DATE_REQUIRED, field="closed_on")


def assessment_factors(factors: list[str], *, outcome: str) -> None:
    """Census factor codes; 21 (no factors identified) only on its own and only with NFA."""
    from casework.models import AssessmentOutcome

    if not factors:
        raise DomainError(errors.ASSESSMENT_FACTORS_REQUIRED, field="factors")
    unknown = sorted(set(factors) - set(ASSESSMENT_FACTORS))
    if unknown:
        raise DomainError(
            errors.ASSESSMENT_FACTOR_UNKNOWN.format(codes=", ".join(unknown)), field="factors"
        )
    if NO_FACTORS in factors and len(set(factors)) > 1:
        raise DomainError(errors.ASSESSMENT_FACTOR_21_ALONE, field="factors")
    if NO_FACTORS in factors and outcome != AssessmentOutcome.NFA:
        raise DomainError(errors.ASSESSMENT_FACTOR_21_NFA, field="factors")


def cp_plan_starts_on_icpc(started_on: date, icpc_held_on: date | None) -> None:
    if started_on != icpc_held_on:
        raise DomainError(errors.CP_PLAN_NOT_ON_ICPC, field="started_on")


def closure_reason_after_assessment(*, early_help: bool, activity: bool) -> str:
    """The closure reason when the work ends with no further action (the one decision the
    closure form, the importer and the generator all take)."""
    if activity:
        return ClosureReason.RC7
    return ClosureReason.RC9 if early_help else ClosureReason.RC8


def closure_fits_activity(reason: str, activity: Iterable[str]) -> None:
    """Refuse RC8/RC9 on an episode that went past the assessment (census rule 2990)."""
    found = sorted(set(activity))
    if reason in CLOSED_AFTER_ASSESSMENT and found:
        raise DomainError(
            errors.EPISODE_CLOSURE_AFTER_ACTIVITY.format(reason=reason, activity=", ".join(found)),
            field="closure_reason",
        )


def closure_fits_death(reason: str, closed_on: date, date_of_death: date | None) -> None:
    """RC2 (died) needs the child's date of death, and the closure is not before it."""
    if reason != ClosureReason.RC2:
        return
    if date_of_death is None:
        raise DomainError(errors.EPISODE_CLOSURE_DIED_NO_DATE, field="closure_reason")
    not_before(closed_on, date_of_death, field="closed_on", other="date of death")

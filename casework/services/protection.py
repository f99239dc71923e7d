"""Strategy discussions, section 47 enquiries and initial child protection conferences.

An s47 starts on the date of the strategy discussion that initiated it (census
definition) and its ICPC is due 15 working days later (domain.md section 3). The worker
records the s47 outcome; a manager signs it off; only then can an ICPC be held, and
only if the outcome was ICPC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from casework import errors, rules, timescales
from casework.errors import DomainError
from casework.models import (
    ChildProtectionConference,
    ConferenceKind,
    ConferenceOutcome,
    S47Outcome,
    Section47Enquiry,
    StrategyDiscussion,
)
from casework.services.common import (
    ExpectedVersion,
    actor,
    check_transition,
    lock,
    lock_at_version,
    require_reason,
    save,
)
from casework.services.permissions import require
from referrals.models import Referral

THING = "a section 47 enquiry"


def open_episode(referral: Referral) -> Referral:
    referral = lock(referral)
    if referral.status != Referral.Status.OPEN:
        raise DomainError(errors.EPISODE_CLOSED, field="referral")
    return referral


@transaction.atomic
def strategy_discussion_record(
    *,
    referral: Referral,
    by,
    held_on: date,
    s47_required: bool,
    attendees: str = "",
    notes: str = "",
) -> StrategyDiscussion:
    """Record a strategy discussion; when it decides on an s47, the enquiry starts that day."""
    require(by, "strategy_discussion_record")
    referral = open_episode(referral)
    rules.within_episode(held_on, referral, field="held_on")
    discussion = StrategyDiscussion(
        child_id=referral.child_id,
        referral=referral,
        held_on=held_on,
        s47_required=s47_required,
        attendees=attendees,
        notes=notes,
        recorded_by=by,
    )
    save(discussion, by=by, why=f"Strategy discussion recorded by {actor(by)}")
    if s47_required:
        s47_start(strategy_discussion=discussion, by=by)
    return discussion


def decide_s47_start(
    discussion: StrategyDiscussion,
    *,
    referral: Referral,
    started: bool,
    child_enquiries: Iterable[tuple[date, date | None]],
) -> str:
    """Starting an s47: the discussion decided on one, none ``started`` from it yet, on the
    discussion's date, within the episode and not overlapping another of the child's
    enquiries (census; ``child_enquiries`` their start and end dates). ``s47_start`` reads
    both; the generator knows them from its rows."""
    if not discussion.s47_required:
        raise DomainError(errors.S47_NOT_REQUIRED, field="strategy_discussion")
    if started:
        raise DomainError(errors.S47_ALREADY_STARTED, field="strategy_discussion")
    rules.within_episode(discussion.held_on, referral, field="started_on")
    rules.no_overlap(
        discussion.held_on, child_enquiries, message=errors.S47_OVERLAPS, field="started_on"
    )
    return Section47Enquiry.Status.OPEN


def child_spans(model, child_id: int):
    """The start and end dates of a child's records of ``model`` (an overlap check's input)."""
    return model.objects.current().filter(child_id=child_id).values_list("started_on", "ended_on")


def decide_s47_outcome(s47: Section47Enquiry, *, ended_on: date, outcome: str) -> str:
    check_transition(s47, s47.submit_outcome, action="record the outcome of", thing=THING)
    if outcome not in S47Outcome.values:
        raise DomainError(errors.S47_OUTCOME_REQUIRED, field="outcome")
    rules.within_episode(ended_on, s47.referral, field="ended_on")
    rules.not_before(ended_on, s47.started_on, field="ended_on", other="start of the enquiry")
    return Section47Enquiry.Status.SUBMITTED


def decide_s47_return(s47: Section47Enquiry, *, reason: str) -> str:
    check_transition(s47, s47.return_outcome, action="return the outcome of", thing=THING)
    require_reason(reason)
    return Section47Enquiry.Status.OPEN


def decide_s47_complete(s47: Section47Enquiry) -> str:
    check_transition(s47, s47.complete, action="sign off", thing=THING)
    return Section47Enquiry.Status.COMPLETED


@transaction.atomic
def s47_start(*, strategy_discussion: StrategyDiscussion, by) -> Section47Enquiry:
    """Start the s47 on the discussion's date; ICPC due 15 working days later."""
    require(by, "s47_start")
    discussion = lock(strategy_discussion)
    referral = open_episode(discussion.referral)
    decide_s47_start(
        discussion,
        referral=referral,
        started=Section47Enquiry.objects.filter(strategy_discussion=discussion).exists(),
        child_enquiries=child_spans(Section47Enquiry, referral.child_id),
    )
    started_on = discussion.held_on
    s47 = Section47Enquiry(
        child_id=referral.child_id,
        referral=referral,
        strategy_discussion=discussion,
        started_on=started_on,
        icpc_due_on=timescales.icpc_due_on(started_on),
    )
    return save(s47, by=by, why=f"Section 47 enquiry started by {actor(by)}")


@transaction.atomic
def s47_submit_outcome(
    *,
    s47: Section47Enquiry,
    by,
    ended_on: date,
    outcome: str,
    expected_version: ExpectedVersion = None,
) -> Section47Enquiry:
    """The worker records the enquiry's end date and outcome for a manager to sign off."""
    require(by, "s47_submit_outcome")
    s47 = lock_at_version(s47, expected_version)
    decide_s47_outcome(s47, ended_on=ended_on, outcome=outcome)
    s47.submit_outcome()
    s47.ended_on, s47.outcome = ended_on, outcome
    s47.icpc_not_required = outcome != S47Outcome.ICPC
    return save(s47, by=by, why=f"Outcome ({outcome}) recorded by {actor(by)}")


@transaction.atomic
def s47_return_outcome(
    *, s47: Section47Enquiry, by, reason: str, expected_version: ExpectedVersion = None
) -> Section47Enquiry:
    """A manager sends the outcome back; the enquiry is open again."""
    require(by, "s47_return_outcome")
    s47 = lock_at_version(s47, expected_version)
    decide_s47_return(s47, reason=reason)
    reason = require_reason(reason)
    s47.return_outcome()
    s47.ended_on, s47.outcome, s47.icpc_not_required = None, "", False
    return save(s47, by=by, why=f"Outcome returned by {actor(by)}: {reason}")


@transaction.atomic
def s47_complete(
    *, s47: Section47Enquiry, by, expected_version: ExpectedVersion = None
) -> Section47Enquiry:
    """A manager signs off the outcome; an ICPC outcome schedules the conference target."""
    require(by, "s47_complete")
    s47 = lock_at_version(s47, expected_version)
    decide_s47_complete(s47)
    s47.complete()
    s47.authorised_by = by
    save(s47, by=by, why=f"Outcome signed off by {actor(by)}")
    if s47.outcome == S47Outcome.ICPC:
        conference = ChildProtectionConference(
            child_id=s47.child_id,
            referral_id=s47.referral_id,
            kind=ConferenceKind.INITIAL,
            s47=s47,
            due_on=s47.icpc_due_on,
        )
        save(conference, by=by, why="Initial conference due (section 47 outcome)")
    return s47


def decide_icpc_hold(
    conference: ChildProtectionConference,
    *,
    referral: Referral,
    held_on: date,
    outcome: str,
    s47_started_on: date | None = None,
) -> str:
    """Holding an initial conference: plan or no plan, on a working day within the episode
    and not before the s47 started (census rules). Writes nothing; the CIN census importer
    asks it for an ICPC whose s47 is in no file (``s47_started_on`` None)."""
    check_transition(conference, conference.hold, action="hold", thing="a conference")
    if outcome not in (ConferenceOutcome.PLAN, ConferenceOutcome.NO_PLAN):
        raise DomainError(errors.ICPC_OUTCOME, field="outcome")
    rules.within_episode(held_on, referral, field="held_on")
    rules.not_before(held_on, s47_started_on, field="held_on", other="start of the enquiry")
    rules.working_day(held_on, field="held_on")
    return ChildProtectionConference.Status.HELD


@transaction.atomic
def icpc_record(
    *,
    s47: Section47Enquiry,
    by,
    held_on: date,
    outcome: str,
    chair: str = "",
    expected_version: ExpectedVersion = None,
) -> ChildProtectionConference:
    """Hold the initial conference: only for a signed-off s47 whose outcome is ICPC.

    ICPC dates are working days and on or after the s47 start (census rules).
    """
    require(by, "icpc_record")
    s47 = lock(s47)
    if s47.outcome != S47Outcome.ICPC:
        raise DomainError(errors.ICPC_S47_NOT_ICPC, field="s47")
    if s47.status != Section47Enquiry.Status.COMPLETED:
        raise DomainError(errors.ICPC_S47_NOT_COMPLETED, field="s47")
    conference = lock_at_version(ChildProtectionConference.objects.get(s47=s47), expected_version)
    if conference.status == ChildProtectionConference.Status.HELD:
        raise DomainError(errors.ICPC_ALREADY_HELD, field="held_on")
    decide_icpc_hold(
        conference, referral=s47.referral, held_on=held_on, outcome=outcome,
        s47_started_on=s47.started_on,
    )  # fmt: skip
    conference.hold()
    conference.held_on, conference.outcome, conference.chair = held_on, outcome, chair
    return save(conference, by=by, why=f"Initial conference recorded by {actor(by)}")

"""Early help's write path: every change to an episode goes through one of these.

request -> assessment started (consent, lead practitioner) -> assessment completed (needs)
-> team around the family -> family plan -> reviews -> closure with a reason, or step-up,
which opens a contact at the front door with the early help history in it.

Step-downs are requested automatically where social care decides them: a contact screened
to early help (``requests_from_screening``) and an assessment authorised with the outcome
early help (``request_from_assessment``); a child already open to early help keeps the
episode they have.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casework import rules
from casework.errors import DomainError
from casework.models import Assessment, AssessmentOutcome, Child
from casework.selectors import worker_for
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
from earlyhelp import errors
from earlyhelp.codes import REVIEW_INTERVAL_DAYS, ClosureReason, LeadAgency, RequestRoute
from earlyhelp.decisions import (
    decide_close,
    decide_complete_assessment,
    decide_plan_start,
    decide_request,
    decide_review,
    decide_start_assessment,
    last_event_on,
)
from earlyhelp.history import history_text
from earlyhelp.models import (
    STEP_UP_SOURCE,
    EarlyHelpEpisode,
    EarlyHelpReview,
    TeamAroundFamilyMember,
)
from earlyhelp.predicates import open_early_help
from referrals.models import Contact, ContactChild, Referral, ScreeningDecision
from referrals.services import contact_record

THING = "an early help episode"


def open_episode(child_id: int) -> EarlyHelpEpisode | None:
    return open_early_help().filter(child_id=child_id).first()


@transaction.atomic
def episode_request(
    *,
    by,
    child: Child,
    requested_on: date,
    route: str,
    requested_by_agency: str = "",
    reason: str = "",
    contact_child: ContactChild | None = None,
    assessment: Assessment | None = None,
    referral: Referral | None = None,
) -> EarlyHelpEpisode:
    """Open an early help episode for ``child``: one open episode per child, never
    overlapping an earlier one, and linked to the social care record it came from."""
    require(by, "early_help_request")
    child = lock(child)
    current = open_episode(child.pk)
    last_closed = (
        EarlyHelpEpisode.objects.current().filter(child=child).aggregate(d=Max("closed_on"))["d"]
    )
    decide_request(
        child=child,
        requested_on=requested_on,
        route=route,
        agency=requested_by_agency,
        contact_child=contact_child,
        assessment=assessment,
        referral=referral,
        open_since=current.requested_on if current is not None else None,
        last_closed=last_closed,
    )
    episode = EarlyHelpEpisode(
        child=child,
        requested_on=requested_on,
        route=route,
        requested_by_agency=requested_by_agency,
        request_reason=reason,
        contact_child=contact_child,
        from_assessment=assessment,
        from_referral=referral or (assessment.referral if assessment else None),
        # The requester's team holds the request until a lead practitioner is chosen.
        team=getattr(worker_for(by), "team", None),
        recorded_by=by,
    )
    return save(episode, by=by, why=f"Early help requested by {actor(by)}")


def requests_from_screening(*, contact: Contact, by) -> list[EarlyHelpEpisode]:
    """Each child screened to early help on ``contact`` gets a request, unless already open."""
    made = []
    lines = contact.children.filter(decision=ScreeningDecision.EARLY_HELP).select_related(
        "child", "contact"
    )
    for line in lines:
        if open_episode(line.child_id) is None:
            made.append(
                episode_request(
                    by=by,
                    child=line.child,
                    requested_on=timezone.localdate(contact.decided_at or timezone.now()),
                    route=RequestRoute.CONTACT,
                    reason=contact.reason,
                    contact_child=line,
                )
            )
    return made


def request_from_assessment(*, assessment: Assessment, by) -> EarlyHelpEpisode | None:
    """An assessment authorised with the outcome early help steps the child down."""
    if assessment.outcome != AssessmentOutcome.EARLY_HELP or open_episode(assessment.child_id):
        return None
    return episode_request(
        by=by,
        child=assessment.child,
        requested_on=assessment.authorised_on,
        route=RequestRoute.STEP_DOWN_ASSESSMENT,
        assessment=assessment,
    )


def request_when_screened(sender, *, contact: Contact, by, **kwargs) -> None:
    requests_from_screening(contact=contact, by=by)


def request_when_assessment_authorised(sender, *, assessment: Assessment, by, **kwargs) -> None:
    request_from_assessment(assessment=assessment, by=by)


def _open(episode: EarlyHelpEpisode, expected_version: ExpectedVersion = None) -> EarlyHelpEpisode:
    episode = lock_at_version(episode, expected_version)
    if episode.closed_on is not None:
        raise DomainError(errors.EPISODE_CLOSED, field="status")
    return episode


@transaction.atomic
def assessment_start(
    *,
    episode: EarlyHelpEpisode,
    by,
    started_on: date,
    consent_on: date | None,
    lead_agency: str,
    lead_practitioner: str,
    team=None,
    worker=None,
    expected_version: ExpectedVersion = None,
) -> EarlyHelpEpisode:
    """The family consents and the lead practitioner starts the early help assessment."""
    require(by, "early_help_record")
    episode = _open(episode, expected_version)
    decide_start_assessment(
        episode, started_on=started_on, consent_on=consent_on, lead_agency=lead_agency,
        lead_practitioner=lead_practitioner, team=team, worker=worker,
    )  # fmt: skip
    episode.start_assessment()
    episode.assessment_started_on, episode.consent_on = started_on, consent_on
    episode.lead_agency, episode.lead_practitioner = lead_agency, lead_practitioner.strip()
    episode.team = team or (worker.team if worker else episode.team)
    episode.worker = worker
    return save(episode, by=by, why=f"Early help assessment started by {actor(by)}")


@transaction.atomic
def assessment_complete(
    *,
    episode: EarlyHelpEpisode,
    by,
    completed_on: date,
    needs: list[str],
    expected_version: ExpectedVersion = None,
) -> EarlyHelpEpisode:
    require(by, "early_help_record")
    episode = _open(episode, expected_version)
    needs = list(dict.fromkeys(needs or []))
    decide_complete_assessment(episode, completed_on=completed_on, needs=needs)
    episode.complete_assessment()
    episode.assessment_completed_on, episode.needs = completed_on, needs
    return save(episode, by=by, why=f"Early help assessment completed by {actor(by)}")


@transaction.atomic
def taf_member_add(
    *,
    episode: EarlyHelpEpisode,
    by,
    name: str,
    agency: str,
    role: str = "",
    joined_on: date,
    expected_version: ExpectedVersion = None,
) -> TeamAroundFamilyMember:
    require(by, "early_help_record")
    episode = _open(episode, expected_version)
    check_transition(episode, episode.add_team_member, action="add to the team around", thing=THING)
    if agency not in LeadAgency.values:
        raise DomainError(errors.AGENCY_UNKNOWN.format(value=agency), field="agency")
    name = require_reason(name, field="name")
    rules.not_in_future(joined_on, field="joined_on")
    rules.not_before(joined_on, episode.requested_on, field="joined_on", other="request date")
    member = TeamAroundFamilyMember(
        episode=episode, name=name, agency=agency, role=role.strip(), joined_on=joined_on
    )
    return save(member, by=by, why=f"Added to the team around the family by {actor(by)}")


@transaction.atomic
def plan_start(
    *, episode: EarlyHelpEpisode, by, started_on: date, expected_version: ExpectedVersion = None
) -> EarlyHelpEpisode:
    """The team around the family agrees the family plan: the first review is due within
    the local cadence."""
    require(by, "early_help_record")
    episode = _open(episode, expected_version)
    decide_plan_start(
        episode, started_on=started_on, team_around_family=episode.taf_members.current().exists()
    )
    episode.start_plan()
    episode.plan_started_on = started_on
    episode.next_review_due_on = started_on + timedelta(days=REVIEW_INTERVAL_DAYS)
    return save(episode, by=by, why=f"Family plan started by {actor(by)}")


@transaction.atomic
def review_record(
    *,
    episode: EarlyHelpEpisode,
    by,
    held_on: date,
    progress: str,
    expected_version: ExpectedVersion = None,
) -> EarlyHelpReview:
    require(by, "early_help_record")
    episode = _open(episode, expected_version)
    last = episode.reviews.current().aggregate(d=Max("held_on"))["d"]
    decide_review(episode, held_on=held_on, last_review_on=last)
    review = EarlyHelpReview(
        episode=episode,
        held_on=held_on,
        due_on=episode.next_review_due_on,
        progress=require_reason(progress, field="progress"),
        recorded_by=by,
    )
    save(review, by=by, why=f"Plan review recorded by {actor(by)}")
    episode.next_review_due_on = held_on + timedelta(days=REVIEW_INTERVAL_DAYS)
    save(episode, by=by, why=f"Next plan review set by {actor(by)}")
    return review


def _close(episode, *, by, closed_on: date, reason: str, notes: str) -> EarlyHelpEpisode:
    last_on = last_event_on(
        episode,
        episode.reviews.current().aggregate(d=Max("held_on"))["d"],
        episode.taf_members.current().aggregate(d=Max("joined_on"))["d"],
    )
    decide_close(episode, closed_on=closed_on, last_on=last_on)
    episode.close()
    episode.closed_on, episode.closure_reason, episode.closure_notes = closed_on, reason, notes
    return save(episode, by=by, why=f"Early help closed ({reason}) by {actor(by)}")


@transaction.atomic
def episode_close(
    *,
    episode: EarlyHelpEpisode,
    by,
    closed_on: date,
    reason: str,
    notes: str = "",
    expected_version: ExpectedVersion = None,
) -> EarlyHelpEpisode:
    """Close with a reason; stepping up has its own operation (it opens a contact)."""
    require(by, "early_help_close")
    episode = _open(episode, expected_version)
    if reason == ClosureReason.STEPPED_UP:
        raise DomainError(errors.CLOSE_STEPPED_UP, field="reason")
    if reason not in ClosureReason.values:
        raise DomainError(errors.CLOSURE_REASON_UNKNOWN.format(value=reason), field="reason")
    return _close(episode, by=by, closed_on=closed_on, reason=reason, notes=notes.strip())


@transaction.atomic
def step_up(
    *,
    episode: EarlyHelpEpisode,
    by,
    received_at: datetime,
    reason: str,
    expected_version: ExpectedVersion = None,
) -> Contact:
    """Refer the child to children's social care: a contact from early help (source 5D)
    at the front door, carrying the episode's history, and the episode closes stepped up."""
    require(by, "early_help_step_up")
    episode = _open(episode, expected_version)
    reason = require_reason(reason)
    contact = contact_record(
        by=by,
        received_at=received_at,
        source=STEP_UP_SOURCE,
        reason=f"{reason}\n\n{history_text(episode)}",
        children=[episode.child],
    )
    episode.step_up_contact = contact
    _close(
        episode,
        by=by,
        closed_on=timezone.localdate(received_at),
        reason=ClosureReason.STEPPED_UP,
        notes=reason,
    )
    return contact

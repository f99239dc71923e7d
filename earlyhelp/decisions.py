"""Early help's transitions decided: each checks its guard and returns the new status.

The services (``earlyhelp.services``) lock, decide, apply and save; the early help generator
asks the same decisions for the episodes it writes in bulk, so it cannot write one the
services refuse. What a decision needs from related rows (the team around the family, the
last event) is passed in, so a decision reads and writes nothing; so is ``today`` for the
generator, whose present is the day it generates to (None: the real today).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_fsm import can_proceed

from casework import rules
from casework.codes import ClosureReason as CinClosure
from casework.errors import DomainError
from casework.models import Assessment, AssessmentOutcome
from casework.services.common import check_transition
from casework.transitions import status_after
from earlyhelp import errors
from earlyhelp.codes import LeadAgency, Need, RequestRoute
from earlyhelp.models import EarlyHelpEpisode
from referrals.models import ScreeningDecision

THING = "an early help episode"


def decide_request(
    *,
    child,
    requested_on: date,
    route: str,
    agency: str = "",
    contact_child=None,
    assessment=None,
    referral=None,
    open_since: date | None,
    last_closed: date | None,
    today: date | None = None,
) -> str:
    """A request for early help: a known route linked to the social care record it came
    from, one open episode per child, never overlapping an earlier one. ``open_since`` (the
    child's open episode's request date) and ``last_closed`` are read by the caller."""
    rules.not_in_future(requested_on, field="requested_on", today=today)
    if route not in RequestRoute.values:
        raise DomainError(errors.ROUTE_UNKNOWN.format(value=route), field="route")
    _check_route(child, requested_on, route, agency, contact_child, assessment, referral)
    child_free_for_request(child, requested_on, open_since=open_since, last_closed=last_closed)
    return status_after(EarlyHelpEpisode)  # the status a new request starts in


def child_free_for_request(child, requested_on: date, *, open_since, last_closed) -> None:
    """No open episode, and the request after the child's last closure."""
    if open_since is not None:
        raise DomainError(
            errors.EPISODE_OPEN.format(child=child.full_name, requested_on=open_since),
            field="child",
        )
    if last_closed is not None and requested_on <= last_closed:
        raise DomainError(errors.EPISODE_OVERLAPS.format(closed_on=last_closed), "requested_on")


def _check_route(child, requested_on, route, agency, contact_child, assessment, referral):
    if route == RequestRoute.CONTACT:
        if contact_child is None:
            raise DomainError(errors.CONTACT_REQUIRED, field="contact_child")
        if (
            contact_child.child_id != child.pk
            or contact_child.decision != ScreeningDecision.EARLY_HELP
        ):
            raise DomainError(errors.CONTACT_NOT_EARLY_HELP, field="contact_child")
        received_on = timezone.localdate(contact_child.contact.received_at)
        rules.not_before(requested_on, received_on, field="requested_on", other="contact")
    elif route == RequestRoute.STEP_DOWN_ASSESSMENT:
        if (
            assessment is None
            or assessment.child_id != child.pk
            or assessment.status != Assessment.Status.AUTHORISED
            or assessment.outcome != AssessmentOutcome.EARLY_HELP
        ):
            raise DomainError(errors.ASSESSMENT_NOT_STEP_DOWN, field="assessment")
        rules.not_before(
            requested_on, assessment.authorised_on, field="requested_on", other="authorisation"
        )
    elif route == RequestRoute.STEP_DOWN_CIN:
        if (
            referral is None
            or referral.child_id != child.pk
            or referral.closure_reason != CinClosure.RC9
        ):
            raise DomainError(errors.REFERRAL_NOT_STEP_DOWN, field="referral")
        rules.not_before(requested_on, referral.closed_on, field="requested_on", other="closure")
    elif not agency:
        raise DomainError(errors.AGENCY_REQUIRED, field="requested_by_agency")
    if agency and agency not in LeadAgency.values:
        raise DomainError(errors.AGENCY_UNKNOWN.format(value=agency), "requested_by_agency")


def decide_start_assessment(
    episode: EarlyHelpEpisode,
    *,
    started_on: date,
    consent_on: date | None,
    lead_agency: str,
    lead_practitioner: str,
    team=None,
    worker=None,
    today: date | None = None,
) -> str:
    check_transition(
        episode, episode.start_assessment, action="start the assessment of", thing=THING
    )
    if consent_on is None:
        raise DomainError(errors.CONSENT_REQUIRED, field="consent_on")
    if lead_agency not in LeadAgency.values:
        raise DomainError(errors.AGENCY_UNKNOWN.format(value=lead_agency), field="lead_agency")
    if not (lead_practitioner or "").strip():
        raise DomainError(errors.PRACTITIONER_REQUIRED, field="lead_practitioner")
    if worker is not None and team is not None and worker.team_id != team.pk:
        raise DomainError(errors.WORKER_NOT_IN_TEAM.format(worker=worker, team=team), "worker")
    rules.not_in_future(started_on, field="started_on", today=today)
    rules.not_before(consent_on, episode.requested_on, field="consent_on", other="request date")
    rules.not_before(started_on, consent_on, field="started_on", other="consent date")
    return EarlyHelpEpisode.Status.ASSESSMENT


def decide_complete_assessment(
    episode: EarlyHelpEpisode, *, completed_on: date, needs: list[str], today: date | None = None
) -> str:
    check_transition(
        episode, episode.complete_assessment, action="complete the assessment of", thing=THING
    )
    if not needs:
        raise DomainError(errors.NEEDS_REQUIRED, field="needs")
    unknown = [n for n in needs if n not in Need.values]
    if unknown:
        raise DomainError(errors.NEED_UNKNOWN.format(codes=", ".join(unknown)), field="needs")
    rules.not_in_future(completed_on, field="completed_on", today=today)
    rules.not_before(
        completed_on, episode.assessment_started_on, field="completed_on", other="start date"
    )
    return EarlyHelpEpisode.Status.ASSESSED


def decide_plan_start(
    episode: EarlyHelpEpisode,
    *,
    started_on: date,
    team_around_family: bool,
    today: date | None = None,
) -> str:
    """A family plan needs the assessment completed and a team around the family."""
    check_transition(episode, episode.start_plan, action="start a plan for", thing=THING)
    if not team_around_family:
        raise DomainError(errors.TAF_REQUIRED, field="started_on")
    rules.not_in_future(started_on, field="started_on", today=today)
    rules.not_before(
        started_on, episode.assessment_completed_on, field="started_on", other="assessment"
    )
    return EarlyHelpEpisode.Status.PLAN


def decide_review(
    episode: EarlyHelpEpisode,
    *,
    held_on: date,
    last_review_on: date | None,
    today: date | None = None,
) -> str:
    """A plan review: only while the family plan is in place, not in the future, and not
    before the plan's start or the last review (``last_review_on``). The status stays."""
    if not can_proceed(episode.record_review):
        raise DomainError(errors.REVIEW_NEEDS_PLAN, field="held_on")
    rules.not_in_future(held_on, field="held_on", today=today)
    rules.not_before(held_on, episode.plan_started_on, field="held_on", other="plan start")
    rules.not_before(held_on, last_review_on, field="held_on", other="last review")
    return episode.status


def last_event_on(episode: EarlyHelpEpisode, *related_days: date | None) -> date | None:
    """The episode's latest dated step: its own dates and ``related_days`` (its latest
    review and team member)."""
    dates = [
        episode.requested_on,
        episode.consent_on,
        episode.assessment_started_on,
        episode.assessment_completed_on,
        episode.plan_started_on,
        *related_days,
    ]
    return max((d for d in dates if d is not None), default=None)


def decide_close(
    episode: EarlyHelpEpisode, *, closed_on: date, last_on: date | None, today: date | None = None
) -> str:
    """Closing: not in the future and not before the episode's last event (``last_on``)."""
    check_transition(episode, episode.close, action="close", thing=THING)
    rules.not_in_future(closed_on, field="closed_on", today=today)
    rules.not_before(closed_on, last_on, field="closed_on", other="last event")
    return EarlyHelpEpisode.Status.CLOSED

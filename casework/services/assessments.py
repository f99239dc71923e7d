"""Child and Family assessments: start, child seen, complete, submit, return, authorise.

Timeliness is measured to authorisation (domain.md section 1): due 45 working days from
the referral date (Working Together 2023, ``due_on``) and, as DfE publishes it, from the
assessment start (``dfe_due_on``). Every date may be back-dated; ``deadline_status``
then reads met or missed from the stored dates.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from casework import errors, rules, timescales
from casework.codes import PrimaryNeed
from casework.errors import DomainError
from casework.models import Assessment, AssessmentOutcome, Worker
from casework.services.common import (
    ExpectedVersion,
    actor,
    check_transition,
    lock_at_version,
    require_reason,
    save,
)
from casework.services.permissions import require
from casework.services.protection import open_episode
from casework.signals import assessment_authorised
from referrals.models import Referral

THING = "an assessment"


@transaction.atomic
def assessment_start(
    *, referral: Referral, by, started_on: date, worker: Worker | None = None
) -> Assessment:
    """Start an assessment on an open episode; assessments for a child never overlap."""
    require(by, "assessment_start")
    referral = open_episode(referral)
    if referral.nfa:
        raise DomainError(errors.ASSESSMENT_REFERRAL_NFA, field="referral")
    rules.within_episode(started_on, referral, field="started_on")
    others = Assessment.objects.current().filter(child_id=referral.child_id)
    rules.no_overlap(
        started_on,
        others.values_list("started_on", "authorised_on"),
        message=errors.ASSESSMENT_OVERLAPS,
        field="started_on",
    )
    assessment = Assessment(
        child_id=referral.child_id,
        referral=referral,
        worker=worker or _default_worker(referral, by),
        started_on=started_on,
        due_on=timescales.assessment_due_on(referral.referred_on),
        dfe_due_on=timescales.assessment_dfe_due_on(started_on),
    )
    return save(assessment, by=by, why=f"Assessment started by {actor(by)}")


def _default_worker(referral: Referral, by) -> Worker | None:
    current = referral.allocations.current().filter(ended_on=None).first()
    if current:
        return current.worker
    return Worker.objects.filter(user=by).first()


@transaction.atomic
def assessment_record_child_seen(
    *, assessment: Assessment, by, seen_on: date, expected_version: ExpectedVersion = None
) -> Assessment:
    """Record the date the child was first seen (audited: domain.md section 1)."""
    require(by, "assessment_record_child_seen")
    assessment = lock_at_version(assessment, expected_version)
    if assessment.status == Assessment.Status.AUTHORISED:
        raise DomainError(
            errors.NOT_ALLOWED_FROM_STATUS.format(
                action="record the child seen on",
                thing=THING,
                status=Assessment.Status.AUTHORISED.label.lower(),
            ),
            field="status",
        )
    rules.within_episode(seen_on, assessment.referral, field="child_seen_on")
    if assessment.child_seen_on and assessment.child_seen_on <= seen_on:
        return assessment  # first seen earlier already: keep that date
    assessment.child_seen_on = seen_on
    return save(assessment, by=by, why=f"Child seen on {seen_on:%d/%m/%Y}, by {actor(by)}")


# -- decisions: check the guard and return the new status; no writes ------------------------
# The services below lock, decide, then apply and save. The CIN census importer asks the same
# decisions (metrics.returns.import_child), so a rule changed here changes there too.


def decide_complete(
    assessment: Assessment, *, completed_on: date, outcome: str, factors: list[str]
) -> str:
    check_transition(assessment, assessment.complete, action="complete", thing=THING)
    rules.within_episode(completed_on, assessment.referral, field="completed_on")
    rules.not_before(completed_on, assessment.started_on, field="completed_on", other="start date")
    if outcome not in AssessmentOutcome.values:
        raise DomainError(errors.ASSESSMENT_OUTCOME_REQUIRED, field="outcome")
    rules.assessment_factors(factors, outcome=outcome)
    return Assessment.Status.COMPLETED


def decide_submit(assessment: Assessment, *, submitted_on: date) -> str:
    check_transition(assessment, assessment.submit, action="submit", thing=THING)
    rules.within_episode(submitted_on, assessment.referral, field="submitted_on")
    rules.not_before(
        submitted_on, assessment.completed_on, field="submitted_on", other="completion"
    )
    return Assessment.Status.SUBMITTED


def decide_return(assessment: Assessment, *, returned_on: date, reason: str) -> str:
    check_transition(assessment, assessment.return_to_worker, action="return", thing=THING)
    require_reason(reason)
    rules.within_episode(returned_on, assessment.referral, field="returned_on")
    rules.not_before(returned_on, assessment.submitted_on, field="returned_on", other="submission")
    return Assessment.Status.RETURNED


def decide_authorise(
    assessment: Assessment,
    *,
    authorised_on: date,
    by_id: int | None,
    completed_by_id: int | None,
    in_source_system: bool = False,
) -> str:
    """Authorisation's guard (domain.md s.1): a second pair of eyes, dates in order, the
    child seen first, the census factor rules.

    ``in_source_system``: the CIN census records that a manager authorised it in the
    authority's old system, by someone the file does not name, so the second-pair-of-eyes
    check has no one to compare and a seen date is not required (the census holds none).
    """
    check_transition(assessment, assessment.authorise, action="authorise", thing=THING)
    if not in_source_system:
        if assessment.worker and assessment.worker.user_id == by_id:
            raise DomainError(errors.ASSESSMENT_AUTHORISE_OWN_WORKER, field="authorised_by")
        if completed_by_id == by_id:
            raise DomainError(errors.ASSESSMENT_AUTHORISE_OWN, field="authorised_by")
    rules.within_episode(authorised_on, assessment.referral, field="authorised_on")
    for earlier, label in [
        (assessment.started_on, "assessment start date"),
        (assessment.submitted_on, "submission"),
    ]:
        rules.not_before(authorised_on, earlier, field="authorised_on", other=label)
    rules.child_seen_before_authorising(
        assessment.child_seen_on, authorised_on, seen_in_source=in_source_system
    )
    rules.assessment_factors(assessment.factors, outcome=assessment.outcome)
    return Assessment.Status.AUTHORISED


# -- services: lock, decide, apply, save ------------------------------------------------------


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    by,
    completed_on: date,
    outcome: str,
    factors: list[str],
    summary: str = "",
    primary_need: str = "",
    expected_version: ExpectedVersion = None,
) -> Assessment:
    """The worker completes the assessment with its outcome and census factors.

    Factor 21 (no factors identified) is allowed only on its own and only with NFA; the
    primary need (N0-N9) is recorded on the episode at assessment end.
    """
    require(by, "assessment_complete")
    assessment = lock_at_version(assessment, expected_version)
    factors = list(dict.fromkeys(factors))
    decide_complete(assessment, completed_on=completed_on, outcome=outcome, factors=factors)
    if primary_need:
        _record_primary_need(assessment.referral_id, primary_need, by=by)
    assessment.complete()
    assessment.completed_on, assessment.outcome, assessment.factors = completed_on, outcome, factors
    assessment.summary = summary or assessment.summary
    return save(assessment, by=by, why=f"Completed by {actor(by)}")


def _record_primary_need(referral_id: int, primary_need: str, *, by) -> None:
    if primary_need not in PrimaryNeed.values:
        raise DomainError(errors.PRIMARY_NEED_UNKNOWN.format(value=primary_need), "primary_need")
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    referral.primary_need = primary_need
    save(referral, by=by, why=f"Primary need {primary_need} recorded at assessment end")


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, by, submitted_on: date, expected_version: ExpectedVersion = None
) -> Assessment:
    """Send the completed assessment to a manager for authorisation."""
    require(by, "assessment_submit")
    assessment = lock_at_version(assessment, expected_version)
    decide_submit(assessment, submitted_on=submitted_on)
    assessment.submit()
    assessment.submitted_on = submitted_on
    return save(assessment, by=by, why=f"Submitted for authorisation by {actor(by)}")


@transaction.atomic
def assessment_return(
    *,
    assessment: Assessment,
    by,
    returned_on: date,
    reason: str,
    expected_version: ExpectedVersion = None,
) -> Assessment:
    """A manager returns the assessment to the worker; a reason is required."""
    require(by, "assessment_return")
    assessment = lock_at_version(assessment, expected_version)
    decide_return(assessment, returned_on=returned_on, reason=reason)
    reason = require_reason(reason)
    assessment.return_to_worker()
    assessment.returned_on, assessment.return_reason = returned_on, reason
    assessment.times_returned += 1
    return save(assessment, by=by, why=f"Returned by {actor(by)}: {reason}")


@transaction.atomic
def assessment_authorise(
    *, assessment: Assessment, by, authorised_on: date, expected_version: ExpectedVersion = None
) -> Assessment:
    """A manager authorises: the assessment is complete for timeliness (domain.md s.1).

    Not before the child is seen, not by the assessment's own worker or whoever completed
    it (a second pair of eyes), and only by a manager role.
    """
    require(by, "assessment_authorise")
    assessment = lock_at_version(assessment, expected_version)
    decide_authorise(
        assessment,
        authorised_on=authorised_on,
        by_id=by.pk,
        completed_by_id=completed_by(assessment),
    )
    assessment.authorise()
    assessment.authorised_on, assessment.authorised_by = authorised_on, by
    save(assessment, by=by, why=f"Authorised by {actor(by)}")
    assessment_authorised.send(sender=Assessment, assessment=assessment, by=by)
    return assessment


def completed_by(assessment: Assessment) -> int | None:
    """Who last completed it: the user on the latest history row that moved it to completed."""
    rows = assessment.history.order_by("history_date", "history_id")
    completed_by, previous = None, None
    for status, user_id in rows.values_list("status", "history_user_id"):
        if status == Assessment.Status.COMPLETED and previous != status:
            completed_by = user_id
        previous = status
    return completed_by

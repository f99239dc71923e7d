"""Drive records to a given status through the real services (style.md rule 13)."""

from datetime import date, timedelta

from casework import services
from casework.models import Assessment, AssessmentOutcome

ORDER = [
    Assessment.Status.IN_PROGRESS,
    Assessment.Status.COMPLETED,
    Assessment.Status.SUBMITTED,
    Assessment.Status.RETURNED,
    Assessment.Status.AUTHORISED,
]


def assessment_in(status: str, *, referral, worker_user, manager, started_on: date | None = None):
    """An assessment on ``referral`` moved to ``status`` by its worker and a manager.

    Steps are a day apart from ``started_on`` (default: the referral date + 1).
    """
    day = started_on or referral.referred_on + timedelta(days=1)
    assessment = services.assessment_start(
        referral=referral, by=worker_user, started_on=day, worker=worker_user.worker
    )
    if status == Assessment.Status.IN_PROGRESS:
        return assessment
    assessment = services.assessment_record_child_seen(
        assessment=assessment, by=worker_user, seen_on=day
    )
    assessment = services.assessment_complete(
        assessment=assessment,
        by=worker_user,
        completed_on=day + timedelta(days=1),
        outcome=AssessmentOutcome.CIN_PLAN,
        factors=["3B", "4B"],
    )
    if status == Assessment.Status.COMPLETED:
        return assessment
    assessment = services.assessment_submit(
        assessment=assessment, by=worker_user, submitted_on=day + timedelta(days=2)
    )
    if status == Assessment.Status.SUBMITTED:
        return assessment
    if status == Assessment.Status.RETURNED:
        return services.assessment_return(
            assessment=assessment,
            by=manager,
            returned_on=day + timedelta(days=3),
            reason="Add the school's view",
        )
    return services.assessment_authorise(
        assessment=assessment, by=manager, authorised_on=day + timedelta(days=3)
    )

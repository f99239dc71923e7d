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


STRATEGY_ON = date(2025, 3, 10)  # Monday; ICPC due 31 March (15 working days)
S47_ENDED_ON = date(2025, 3, 20)
ICPC_ON = date(2025, 3, 28)  # Friday


def s47_in(status: str, *, referral, worker_user, manager, outcome: str = "icpc"):
    """An s47 started by a strategy discussion, moved to ``status``."""
    from casework.models import Section47Enquiry

    discussion = services.strategy_discussion_record(
        referral=referral, by=worker_user, held_on=STRATEGY_ON, s47_required=True
    )
    s47 = discussion.s47
    if status == Section47Enquiry.Status.OPEN:
        return s47
    s47 = services.s47_submit_outcome(
        s47=s47, by=worker_user, ended_on=S47_ENDED_ON, outcome=outcome
    )
    if status == Section47Enquiry.Status.SUBMITTED:
        return s47
    return services.s47_complete(s47=s47, by=manager)


def icpc_held(*, referral, worker_user, manager, outcome: str = "plan", held_on=ICPC_ON):
    s47 = s47_in("completed", referral=referral, worker_user=worker_user, manager=manager)
    return services.icpc_record(s47=s47, by=worker_user, held_on=held_on, outcome=outcome)


def cp_plan_on(*, referral, worker_user, manager, category: str = "NEG"):
    icpc = icpc_held(referral=referral, worker_user=worker_user, manager=manager)
    return services.cp_plan_start(icpc=icpc, by=worker_user, category=category)

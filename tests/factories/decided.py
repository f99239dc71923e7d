"""Unsaved records walked to a status through the services' own pure decisions.

For builders that ``bulk_create`` hundreds of rows (the 10-vs-1,000-row query-count
tests): a service call per row would save, lock and write history for each, and make
those tests minutes slower. Instead each row is asked of the same ``decide_*`` function
the service asks, then moved by the model's declared transition and given the fields the
service records, so a builder can hold no row the services could not have produced.
Tests of a few rows build through the services themselves (tests/factories/flows.py).
"""

from __future__ import annotations

from datetime import date

from care.adoption import decide_adopt, decide_match, decide_place, decide_reverse
from care.models import AdoptionPlan, CareEpisode, CarePeriod
from care.services.ending import decide_care_end
from casework.models import Assessment, AssessmentOutcome, S47Outcome, Section47Enquiry
from casework.services.assessments import decide_authorise, decide_complete, decide_submit
from casework.services.protection import decide_s47_outcome

OUTCOME = AssessmentOutcome.CIN_PLAN
FACTORS = ["3A"]  # domestic violence: a census factor allowed with a CIN plan outcome

ASSESSMENT_PATH = (
    Assessment.Status.COMPLETED,
    Assessment.Status.SUBMITTED,
    Assessment.Status.AUTHORISED,
)
# Signing an ICPC outcome off also schedules the conference (s47_complete): build a
# completed s47 through the services (tests/factories/flows.py s47_in).
S47_PATH = (Section47Enquiry.Status.SUBMITTED,)
ADOPTION_PATH = (
    AdoptionPlan.Status.MATCHED,
    AdoptionPlan.Status.PLACED,
    AdoptionPlan.Status.ADOPTED,
)
ADOPTERS = ("adopters_number", "adopters_sex", "adopters_legal_status")


def _steps(path: tuple[str, ...], status: str, start: str) -> tuple[str, ...]:
    """The statuses on the way to ``status``; a status off the path is refused."""
    if status == start:
        return ()
    if status not in path:
        raise ValueError(f"no builder path to {status!r}: build it through the services")
    return path[: path.index(status) + 1]


def assessment_to(a: Assessment, status: str, *, on: date, by_id: int | None = None):
    """Walk ``a`` (unsaved, its referral and worker set as objects, not ids, so no query
    runs per row) to ``status``, each step on ``on``: completed with a CIN plan outcome,
    submitted, then authorised by user ``by_id`` after the child was seen on ``on``."""
    for step in _steps(ASSESSMENT_PATH, status, Assessment.Status.IN_PROGRESS):
        if step == Assessment.Status.COMPLETED:
            decide_complete(a, completed_on=on, outcome=OUTCOME, factors=FACTORS)
            a.complete()
            a.completed_on, a.outcome, a.factors = on, OUTCOME, list(FACTORS)
        elif step == Assessment.Status.SUBMITTED:
            decide_submit(a, submitted_on=on)
            a.submit()
            a.submitted_on = on
        else:
            a.child_seen_on = a.child_seen_on or on
            completed_by = a.worker.user_id if a.worker else None
            decide_authorise(a, authorised_on=on, by_id=by_id, completed_by_id=completed_by)
            a.authorise()
            a.authorised_on, a.authorised_by_id = on, by_id
    return a


def s47_to(s47: Section47Enquiry, status: str, *, ended_on: date):
    """Walk ``s47`` (unsaved, its referral set as an object) to ``status``: an ICPC
    outcome recorded on ``ended_on``, awaiting a manager's sign-off."""
    if _steps(S47_PATH, status, Section47Enquiry.Status.OPEN):
        decide_s47_outcome(s47, ended_on=ended_on, outcome=S47Outcome.ICPC)
        s47.submit_outcome()
        s47.ended_on, s47.outcome, s47.icpc_not_required = ended_on, S47Outcome.ICPC, False
    return s47


def care_ceased(period: CarePeriod, *, episode: CareEpisode, ended_on: date, reason: str):
    """End ``period`` (unsaved, its child set as an object) and its last ``episode`` (its
    placement set) as care_end does, after its decision: a reason that fits the placement
    and the child's age."""
    decide_care_end(period, episode=episode, ended_on=ended_on, reason_ceased=reason)
    period.cease()
    period.ended_on, period.reason_ceased = ended_on, reason
    episode.ended_on, episode.reason_ceased = ended_on, reason
    return period


def adoption_to(plan: AdoptionPlan, status: str, *, on: dict[str, date], **details):
    """Walk ``plan`` (unsaved, decided) to ``status`` through the adoption decisions, each
    step on its day in ``on`` (matched, placed, adopted or reversed). ``details``: the
    adopters (number, sex, legal status), the adoptive ``place``, the reversal ``reason``."""
    if status == AdoptionPlan.Status.REVERSED:
        decide_reverse(plan, reversed_on=on["reversed"], reason=details["reason"])
        plan.reverse()
        plan.reversed_on, plan.reversal_reason = on["reversed"], details["reason"]
        return plan
    for step in _steps(ADOPTION_PATH, status, AdoptionPlan.Status.DECIDED):
        if step == AdoptionPlan.Status.MATCHED:
            adopters = {k: details[k] for k in ADOPTERS}
            decide_match(plan, matched_on=on["matched"], **adopters)
            plan.match()
            plan.matched_on = on["matched"]
            for name, value in adopters.items():
                setattr(plan, name, value)
        elif step == AdoptionPlan.Status.PLACED:
            decide_place(plan, placed_on=on["placed"], place=details["place"])
            plan.place()
            plan.placed_on = on["placed"]
        else:
            decide_adopt(plan, ordered_on=on["adopted"])
            plan.adopt()
            plan.adopted_on = on["adopted"]
    return plan

"""What a manager signs: the facts of a submitted assessment or section 47 outcome, laid
out as summary rows beside the decision form (casework.views.authorisation)."""

from __future__ import annotations

from datetime import date

from casework.calendar import CalendarRangeError, working_days_between
from casework.codes import ASSESSMENT_FACTORS
from casework.models import Assessment, Section47Enquiry, StrategyDiscussion
from casework.selectors import visible_record
from casework.timescales import ASSESSMENT_WORKING_DAYS, ICPC_WORKING_DAYS

Row = tuple[str, str]


def _day(value: date | None, missing: str = "Not recorded") -> str:
    return value.strftime("%-d %B %Y") if value else missing


def working_days_taken(start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    try:
        return working_days_between(start, end)
    except CalendarRangeError:
        return None


def _taken(start, end, target: int) -> str:
    days = working_days_taken(start, end)
    if days is None:
        return "Not known"
    verdict = "within" if days <= target else f"{days - target} over"
    return f"{days} working days ({verdict} the {target}-day timescale)"


def assessment_awaiting_decision(*, user, pk: int) -> Assessment | None:
    return visible_record(Assessment, user=user, pk=pk, related=("worker",))


def factor_labels(codes) -> list[str]:
    return [f"{c}: {ASSESSMENT_FACTORS.get(c, c)}" for c in codes or []]


def assessment_signed(assessment: Assessment, *, today: date) -> list[Row]:
    """The rows a manager reads before authorising (outcome, factors, analysis, dates)."""
    referral = assessment.referral
    end = assessment.submitted_on or today
    return [
        ("Worker", str(assessment.worker) if assessment.worker else "Not recorded"),
        ("Referral date", _day(referral.referred_on)),
        ("Assessment started", _day(assessment.started_on)),
        ("Child seen", _day(assessment.child_seen_on, "Not yet seen")),
        ("Completed by worker", _day(assessment.completed_on)),
        ("Submitted", _day(assessment.submitted_on)),
        (f"Due ({ASSESSMENT_WORKING_DAYS} working days from referral)", _day(assessment.due_on)),
        (
            "Working days taken (referral to submission)",
            _taken(referral.referred_on, end, ASSESSMENT_WORKING_DAYS),
        ),
        ("Times returned", str(assessment.times_returned)),
        ("Outcome", assessment.get_outcome_display() or "Not recorded"),
        ("Primary need", referral.get_primary_need_display() or "Not recorded"),
    ]


def s47_awaiting_decision(*, user, pk: int) -> Section47Enquiry | None:
    return visible_record(Section47Enquiry, user=user, pk=pk)


def s47_signed(s47: Section47Enquiry, *, today: date) -> list[Row]:
    discussion: StrategyDiscussion | None = s47.strategy_discussion
    return [
        ("Strategy discussion", _day(discussion.held_on if discussion else None)),
        ("Agencies taking part", (discussion.attendees if discussion else "") or "Not recorded"),
        ("Strategy discussion notes", (discussion.notes if discussion else "") or "None"),
        ("Enquiry started", _day(s47.started_on)),
        ("Enquiry ended", _day(s47.ended_on)),
        ("Outcome", s47.get_outcome_display() or "Not recorded"),
        (f"Initial conference due ({ICPC_WORKING_DAYS} working days)", _day(s47.icpc_due_on)),
        (
            "Working days taken (start to end of enquiry)",
            _taken(s47.started_on, s47.ended_on or today, ICPC_WORKING_DAYS),
        ),
    ]

"""Pre-submission checks on the steps within an episode: assessments, s47s, plans, reviews.

Registered into ``metrics.returns.checks`` on import (see the bottom of that module's users:
``metrics.returns.checks_steps`` is imported by ``metrics.returns.service``).
"""

from __future__ import annotations

from casework.codes import NO_FACTORS
from metrics.returns.checks import _ep, _f, _overlaps, _working, rule


@rule("8608", "Assessment Start Date cannot be before the referral date", blocks_import=True)
def _assessment_before_referral(child, period):
    for ep in child.episodes:
        for a in ep.assessments:
            if a.started_on < ep.referred_on:
                yield f"{_ep(ep)}: assessment started {_f(a.started_on)}"


@rule(
    "CF-ASSESSMENT-DATES",
    "Assessment authorisation date cannot be before its start date",
    blocks_import=True,
)
def _assessment_order(child, period):
    for ep in child.episodes:
        for a in ep.assessments:
            if a.authorised_on and a.authorised_on < a.started_on:
                yield f"{_ep(ep)}: started {_f(a.started_on)}, authorised {_f(a.authorised_on)}"


@rule(
    "8863",
    "An Assessment is shown as starting when there is another Assessment ongoing",
    blocks_import=True,
)
def _assessment_overlap(child, period):
    items = [(a.started_on, a.authorised_on) for ep in child.episodes for a in ep.assessments]
    yield from _pairwise_overlaps(items, "assessment")


@rule(
    "8736",
    "For an Assessment that has not been completed, the start date must fall within "
    "the census year",
)
def _open_assessment_in_year(child, period):
    for ep in child.episodes:
        for a in ep.assessments:
            if a.authorised_on is None and a.started_on not in period:
                yield f"{_ep(ep)}: assessment started {_f(a.started_on)}"


@rule(
    "8869",
    "The assessment factor code 21 (no factors identified) cannot be used with any "
    "other assessment factor",
)
def _factor_21_alone(child, period):
    for ep in child.episodes:
        for a in ep.assessments:
            if NO_FACTORS in a.factors and len(a.factors) > 1:
                yield f"{_ep(ep)}: assessment started {_f(a.started_on)}"


@rule(
    "CF-FACTOR-21",
    "Factor 21 (no factors identified) only goes with no further action: not "
    "with a CIN plan, a section 47 enquiry or a CP plan in the same episode",
)
def _factor_21_nfa(child, period):
    for ep in child.episodes:
        acted = ep.cin_plans or ep.s47s or ep.cp_plans
        if acted and any(NO_FACTORS in a.factors for a in ep.assessments):
            yield _ep(ep)


@rule(
    "CF-FACTORS",
    "Assessment factors are recorded on completed (authorised) assessments, and "
    "every completed assessment has at least one",
)
def _factors_complete(child, period):
    for ep in child.episodes:
        for a in ep.assessments:
            if a.authorised_on and not a.factors:
                yield f"{_ep(ep)}: authorised assessment {_f(a.started_on)} has no factors"
            if a.authorised_on is None and a.factors:
                yield f"{_ep(ep)}: factors on unfinished assessment {_f(a.started_on)}"


@rule("2889", "The S47 start date cannot be before the referral date.", blocks_import=True)
def _s47_before_referral(child, period):
    for ep in child.episodes:
        for s in ep.s47s:
            if s.started_on < ep.referred_on:
                yield f"{_ep(ep)}: s47 started {_f(s.started_on)}"


@rule("CF-S47-OVERLAP", "A section 47 enquiry is shown as starting when another is ongoing")
def _s47_overlap(child, period):
    items = [(s.started_on, s.icpc_on) for ep in child.episodes for s in ep.s47s]
    items = [(start, end) for start, end in items if end is not None]
    yield from _pairwise_overlaps(items, "section 47 enquiry")


@rule(
    "CF-ICPC-DATE",
    "The ICPC cannot be before the section 47 start (the strategy discussion)",
    blocks_import=True,
)
def _icpc_after_s47(child, period):
    for ep in child.episodes:
        for s in ep.s47s:
            if s.icpc_on and s.icpc_on < s.started_on:
                yield f"{_ep(ep)}: s47 {_f(s.started_on)}, ICPC {_f(s.icpc_on)}"


@rule("CF-ICPC-WORKING-DAY", "ICPC dates and ICPC targets fall on working days")
def _icpc_working_days(child, period):
    for ep in child.episodes:
        for s in ep.s47s:
            for label, day in (("ICPC", s.icpc_on), ("ICPC target", s.icpc_target_on)):
                if day and not _working(day):
                    yield f"{_ep(ep)}: {label} {_f(day)} is not a working day"
        if ep.icpc_on and not _working(ep.icpc_on):
            yield f"{_ep(ep)}: ICPC {_f(ep.icpc_on)} is not a working day"


@rule("CF-ICPC-NOT-REQUIRED", "An s47 with an ICPC date cannot also say the ICPC was not required")
def _icpc_not_required(child, period):
    for ep in child.episodes:
        for s in ep.s47s:
            if s.icpc_on and s.icpc_not_required:
                yield f"{_ep(ep)}: s47 started {_f(s.started_on)}"


@rule(
    "2885",
    "Child protection plan shown as starting a different day to the initial child "
    "protection conference.",
)
def _plan_starts_at_icpc(child, period):
    for ep in child.episodes:
        for p in ep.cp_plans:
            if p.started_on in period and p.started_on not in ep.icpc_dates():
                yield f"{_ep(ep)}: plan started {_f(p.started_on)}"


@rule(
    "8820",
    "The dates on the Child Protection Plan overlap with another plan for the same child",
    blocks_import=True,
)
def _plan_overlap(child, period):
    items = [(p.started_on, p.ended_on) for ep in child.episodes for p in ep.cp_plans]
    yield from _pairwise_overlaps(items, "CP plan")


@rule("8840", "Child Protection Plan cannot start and end on the same day")
def _plan_same_day(child, period):
    for ep in child.episodes:
        for p in ep.cp_plans:
            if p.ended_on == p.started_on:
                yield f"{_ep(ep)}: plan {_f(p.started_on)}"


@rule(
    "CF-PLAN-DATES",
    "A plan (CP or CIN) cannot end before it starts, or start before the referral",
    blocks_import=True,
)
def _plan_dates(child, period):
    for ep in child.episodes:
        for kind, plans in (("CP plan", ep.cp_plans), ("CIN plan", ep.cin_plans)):
            for p in plans:
                if p.ended_on and p.ended_on < p.started_on:
                    yield f"{_ep(ep)}: {kind} {_f(p.started_on)} ends {_f(p.ended_on)}"
                if p.started_on < ep.referred_on:
                    yield f"{_ep(ep)}: {kind} starts {_f(p.started_on)}, before the referral"


@rule(
    "8841",
    "The review date cannot be on the same day or before the Child protection Plan start date.",
)
def _review_after_start(child, period):
    for ep in child.episodes:
        for p in ep.cp_plans:
            for r in p.reviews:
                if r <= p.started_on:
                    yield f"{_ep(ep)}: plan {_f(p.started_on)}, review {_f(r)}"


@rule("CF-REVIEWS", "Review conferences fall within their plan and are not recorded twice")
def _reviews_in_plan(child, period):
    for ep in child.episodes:
        for p in ep.cp_plans:
            if len(set(p.reviews)) != len(p.reviews):
                yield f"{_ep(ep)}: plan {_f(p.started_on)} has a review date twice"
            for r in p.reviews:
                if p.ended_on and r > p.ended_on:
                    yield f"{_ep(ep)}: review {_f(r)} after plan end {_f(p.ended_on)}"


@rule("4001", "A CIN Plan cannot run concurrently with a Child Protection Plan", blocks_import=True)
def _cin_plan_with_cp_plan(child, period):
    cps = [p for ep in child.episodes for p in ep.cp_plans]
    for ep in child.episodes:
        for c in ep.cin_plans:
            for p in cps:
                if _overlaps(c.started_on, c.ended_on, p.started_on, p.ended_on):
                    yield f"CIN plan {_f(c.started_on)} runs during CP plan {_f(p.started_on)}"


@rule(
    "CF-CIN-PLAN-OVERLAP",
    "A CIN plan is shown as starting when another CIN plan is ongoing",
    blocks_import=True,
)
def _cin_plan_overlap(child, period):
    items = [(p.started_on, p.ended_on) for ep in child.episodes for p in ep.cin_plans]
    yield from _pairwise_overlaps(items, "CIN plan")


def _pairwise_overlaps(items, label: str):
    items = sorted(items, key=lambda i: i[0])
    for i, (a_start, a_end) in enumerate(items):
        for b_start, b_end in items[i + 1 :]:
            if _overlaps(a_start, a_end, b_start, b_end):
                yield f"{label} {_f(a_start)} overlaps {label} {_f(b_start)}"

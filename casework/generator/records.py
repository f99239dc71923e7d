"""Rows for one CIN episode as its records stand on the end date: the same fields, statuses
and due dates the services set (status from the furthest step reached, deadlines from
``casework.calendar``), and nothing dated after the end date or after the closure."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from casework import models as cw
from casework import timescales as ts
from casework.services.assessments import (
    decide_authorise,
    decide_complete,
    decide_return,
    decide_submit,
)
from casework.services.plans import (
    decide_cin_plan_end,
    decide_cin_plan_start,
    decide_cp_plan_end,
    decide_cp_plan_start,
    decide_review,
)
from casework.services.protection import (
    decide_icpc_hold,
    decide_s47_complete,
    decide_s47_outcome,
    decide_s47_start,
)
from casework.transitions import status_after, status_after_step, unsaved
from referrals import models as rf
from referrals.services import EpisodeWork, decide_close, episode_work_of_rows

ATTENDEES = "Police; Health; Education; Children's social care"
RETURN_REASON = "Analysis of risk needs strengthening before sign-off."
PLAN_END_REASON = "Plan ended at review conference"


def worker_at(episode, day: date):
    found = None
    for seg in episode.segments:
        if seg.started_on <= day and (seg.ended_on is None or day < seg.ended_on):
            found = seg.worker
    return found


class _Rows:
    """What one episode writes, kept by model so that its closure is judged on its rows."""

    def __init__(self, writer):
        self.writer, self.by_model = writer, defaultdict(list)

    def add(self, model, row: dict, **kw) -> None:
        self.by_model[model].append(row)
        self.writer.add(model, row, **kw)

    def work(self) -> EpisodeWork:
        """The episode's work as ``referrals.services.episode_work`` reads it from the
        database, from the rows written."""
        return episode_work_of_rows(self.by_model)


def write_episode(sim, ep) -> None:
    end, t, add, stamp = sim.end, ep.timeline, sim.days.add, sim.stamp
    out = _Rows(sim.writer)
    w = out.add
    closed = t.closed_on <= end
    a = t.assessment
    authorised = a is not None and a.authorised_on <= end
    referral = {
        "id": ep.id, "child_id": ep.child.id, "contact_child_id": ep.contact_child_id,
        "referred_on": ep.referred_on, "source": ep.source, "nfa": t.nfa,
        "primary_need": t.primary_need if authorised else "",
        "status": ep.status, "closed_on": None, "closure_reason": "",
        "assessment_due_on": None if t.nfa else add(ep.referred_on, ts.ASSESSMENT_WORKING_DAYS),
        "created_at": ep.created_at,
        "updated_at": stamp(t.closed_on) if closed else ep.created_at,
    }  # fmt: skip
    # The episode as its records' decisions see it (dates within it, not after its closure).
    ep_record = unsaved(rf.Referral, {**referral, "closed_on": t.closed_on if closed else None})
    for seg in ep.segments:
        w(cw.Allocation, {
            "id": seg.id, "child_id": ep.child.id, "referral_id": ep.id,
            "worker_id": seg.worker, "team_id": seg.team, "started_on": seg.started_on,
            "ended_on": seg.ended_on, "reason": seg.reason, "end_reason": seg.end_reason,
            "court_work": t.court_work and seg.started_on >= (t.icpc_on or date.max),
            "created_at": stamp(seg.started_on),
            "updated_at": stamp(seg.ended_on or seg.started_on),
        })  # fmt: skip
    started = a is not None and a.started_on <= end
    assessment_id = _assessment(sim, out, ep, a, ep_record) if started else None
    _protection(sim, out, ep, ep_record)
    if t.cin_plan and t.cin_plan[0] <= end:
        start, stop = t.cin_plan
        # Started as cin_plan_start decides: the child's plans are this episode's (a CIN plan
        # follows its CP plan; earlier episodes' plans ended before they closed).
        started = decide_cin_plan_start(
            referral=ep_record, started_on=start,
            child_cp_plans=_spans(out, cw.ChildProtectionPlan),
            child_cin_plans=_spans(out, cw.CINPlan),
        )  # fmt: skip
        plan = {
            "id": sim.next_id("cinplan"), "child_id": ep.child.id, "referral_id": ep.id,
            "status": started, "started_on": start, "ended_on": None,
            "created_at": stamp(start), "updated_at": stamp(stop if stop <= end else start),
        }  # fmt: skip
        if stop <= end:
            record = unsaved(cw.CINPlan, plan, referral=ep_record)
            plan.update(status=decide_cin_plan_end(record, ended_on=stop), ended_on=stop)
        w(cw.CINPlan, plan)
    for kind, day, seen, alone in t.visits:
        if day <= end:
            _visit(sim, out, ep, kind, day, seen, alone, assessment_id=assessment_id)
    if closed:
        # Closed as referral_close decides, on the rows this episode wrote.
        record = unsaved(rf.Referral, referral, child=cw.Child(id=ep.child.id))
        status = decide_close(
            record, closed_on=t.closed_on, reason=t.closure_reason, work=out.work()
        )
        referral.update(status=status, closed_on=t.closed_on, closure_reason=t.closure_reason)
    w(rf.Referral, referral)


def _assessment(sim, out, ep, a, episode) -> int:
    end, add = sim.end, sim.days.add
    row = {
        "id": sim.next_id("assessment"), "child_id": ep.child.id, "referral_id": ep.id,
        "worker_id": worker_at(ep, a.started_on) or _first_worker(ep),
        "status": status_after(cw.Assessment),
        "started_on": a.started_on, "due_on": add(ep.referred_on, ts.ASSESSMENT_WORKING_DAYS),
        "dfe_due_on": add(a.started_on, ts.ASSESSMENT_WORKING_DAYS),
        "child_seen_on": a.child_seen_on if a.child_seen_on and a.child_seen_on <= end else None,
        "completed_on": None, "submitted_on": None, "returned_on": None, "return_reason": "",
        "times_returned": 0, "authorised_on": None, "outcome": "", "factors": [],
        "created_at": sim.stamp(a.started_on),
    }  # fmt: skip

    def decide(decision, **inputs) -> None:
        # Each step's status is the one the service's own decision returns, judged on the
        # assessment as the previous steps left it: its guards apply to generated data too.
        record = unsaved(cw.Assessment, row, referral=episode)
        row["status"] = decision(record, **inputs)

    # The outcome and factors are judged at completion, as the service takes them there;
    # the row shows them from authorisation, as the generator always has.
    judged = {"outcome": a.outcome, "factors": a.factors}
    last, step = a.started_on, ""
    if a.first_submitted_on and a.first_submitted_on <= end:
        decide(decide_complete, completed_on=a.first_submitted_on, **judged)
        row.update(completed_on=a.first_submitted_on)
        decide(decide_submit, submitted_on=a.first_submitted_on)
        row.update(submitted_on=a.first_submitted_on)
        last, step = a.first_submitted_on, "submit"
        if a.returned_on <= end:
            decide(decide_return, returned_on=a.returned_on, reason=RETURN_REASON)
            row.update(returned_on=a.returned_on, times_returned=1, return_reason=RETURN_REASON)
            last, step = a.returned_on, "return"
    if a.completed_on <= end and (a.returned_on is None or a.completed_on > a.returned_on):
        decide(decide_complete, completed_on=a.completed_on, **judged)
        row.update(completed_on=a.completed_on)
        last, step = a.completed_on, "complete"
    if a.submitted_on <= end and a.completed_on <= end and step == "complete":
        decide(decide_submit, submitted_on=a.submitted_on)
        row.update(submitted_on=a.submitted_on)
        last = a.submitted_on
    if a.authorised_on <= end:
        row.update(outcome=a.outcome, factors=a.factors)
        # Generated case-holders do not sign in and the row names no authoriser (as an
        # imported census record), so there is no user to compare for the second pair of
        # eyes; the dates, the child seen first and the factor rules are judged as ever.
        decide(decide_authorise, authorised_on=a.authorised_on, by_id=None,
               completed_by_id=None, in_source_system=True)  # fmt: skip
        row.update(authorised_on=a.authorised_on)
        last = a.authorised_on
    row["updated_at"] = sim.stamp(last)
    out.add(cw.Assessment, row)
    return row["id"]


def _spans(out, model) -> list[tuple]:
    return [(row["started_on"], row["ended_on"]) for row in out.by_model[model]]


def _first_worker(ep):
    return ep.segments[0].worker if ep.segments else None


def _protection(sim, out, ep, episode) -> None:
    end, t, stamp, w = sim.end, ep.timeline, sim.stamp, out.add
    if t.strategy_on is None or t.strategy_on > end:
        return
    sd_id = sim.next_id("strategy")
    discussion = {
        "id": sd_id, "child_id": ep.child.id, "referral_id": ep.id, "held_on": t.strategy_on,
        "s47_required": t.s47_required, "attendees": ATTENDEES, "notes": "",
        "recorded_by_id": None, "created_at": stamp(t.strategy_on),
        "updated_at": stamp(t.strategy_on),
    }  # fmt: skip
    w(cw.StrategyDiscussion, discussion)
    if not t.s47_required:
        return
    done = t.s47_ended_on <= end
    s47_id = sim.next_id("s47")
    # Started as s47_start decides: none started from this discussion yet; the child's
    # other enquiries are this episode's (earlier episodes' ended before they closed).
    started = decide_s47_start(
        unsaved(cw.StrategyDiscussion, discussion), referral=episode, started=False,
        child_enquiries=_spans(out, cw.Section47Enquiry),
    )  # fmt: skip
    s47 = {
        "id": s47_id, "child_id": ep.child.id, "referral_id": ep.id,
        "strategy_discussion_id": sd_id, "status": started,
        "started_on": t.strategy_on, "icpc_due_on": t.icpc_due_on, "ended_on": None,
        "outcome": "", "icpc_not_required": done and t.s47_outcome != "icpc",
        "authorised_by_id": None, "created_at": stamp(t.strategy_on),
        "updated_at": stamp(t.s47_ended_on if done else t.strategy_on),
    }  # fmt: skip
    if done:
        # Outcome submitted, then signed off: the service's two decisions, in turn.
        record = unsaved(cw.Section47Enquiry, s47, referral=episode)
        status = decide_s47_outcome(record, ended_on=t.s47_ended_on, outcome=t.s47_outcome)
        s47.update(status=status, ended_on=t.s47_ended_on, outcome=t.s47_outcome)
        s47["status"] = decide_s47_complete(unsaved(cw.Section47Enquiry, s47))
    w(cw.Section47Enquiry, s47)
    if t.icpc_on is None or not done:
        return
    held = t.icpc_on <= end
    icpc_id = sim.next_id("conference")
    icpc = {
        "id": icpc_id, "child_id": ep.child.id, "referral_id": ep.id, "kind": "initial",
        "s47_id": s47_id, "plan_id": None, "status": status_after(cw.ChildProtectionConference),
        "due_on": t.icpc_due_on, "scheduled_for": t.icpc_on, "held_on": None,
        "transfer_in": False, "outcome": "", "chair": sim.chair(),
        "created_at": stamp(t.s47_ended_on),
        "updated_at": stamp(t.icpc_on if held else t.s47_ended_on),
    }  # fmt: skip
    if held:
        outcome = cw.ConferenceOutcome.PLAN if t.icpc_plan else cw.ConferenceOutcome.NO_PLAN
        status = decide_icpc_hold(
            unsaved(cw.ChildProtectionConference, icpc), referral=episode, held_on=t.icpc_on,
            outcome=outcome, s47_started_on=t.strategy_on,
        )  # fmt: skip
        icpc.update(status=status, held_on=t.icpc_on, outcome=outcome)
    w(cw.ChildProtectionConference, icpc)
    if held and t.plan is not None:
        _plan(sim, out, ep, t.plan, icpc, episode)


def _plan(sim, out, ep, plan, icpc, episode) -> None:
    end, days, stamp, w = sim.end, sim.days, sim.stamp, out.add
    ended = plan.ended_on is not None and plan.ended_on <= end
    plan_id = sim.next_id("plan")
    visits = [v for v in plan.visits if v[0] <= end]
    next_review = next((due for due, held, _ in plan.reviews if held > end), None)
    last_visit = visits[-1][0] if visits else plan.started_on
    changed = plan.category_changed_on is not None and plan.category_changed_on <= end
    standard = sim.visit_standard
    # Started as cp_plan_start decides: none from this ICPC yet; the child's other plans are
    # this episode's (earlier episodes' ended before they closed).
    started = decide_cp_plan_start(
        unsaved(cw.ChildProtectionConference, icpc), referral=episode,
        category=plan.initial_category, started=False,
        child_plans=_spans(out, cw.ChildProtectionPlan),
    )  # fmt: skip
    row = {
        "id": plan_id, "child_id": ep.child.id, "referral_id": ep.id, "icpc_id": icpc["id"],
        "status": started, "started_on": plan.started_on,
        "ended_on": None,
        "initial_category": plan.initial_category,
        "latest_category": plan.latest_category if changed else plan.initial_category,
        "first_core_group_due_on": days.add(plan.started_on, ts.CORE_GROUP_WORKING_DAYS),
        "next_review_due_on": None if ended else next_review,
        "next_visit_due_on": None if ended else days.add(last_visit, standard),
        "end_reason": "", "created_at": stamp(plan.started_on),
        "updated_at": stamp(plan.ended_on if ended else last_visit),
    }  # fmt: skip
    active = unsaved(cw.ChildProtectionPlan, row, referral=episode)
    if ended:
        # Ended by the review that decided so (review_record), else by cp_plan_end.
        ending = [o for _, held, o in plan.reviews
                  if held == plan.ended_on and o == cw.ConferenceOutcome.END_PLAN]  # fmt: skip
        status = (
            decide_review(active, held_on=plan.ended_on, outcome=ending[0])
            if ending
            else decide_cp_plan_end(active, ended_on=plan.ended_on, reason=PLAN_END_REASON)
        )
        row.update(status=status, ended_on=plan.ended_on, end_reason=PLAN_END_REASON)
    w(cw.ChildProtectionPlan, row, history=not changed)
    if changed:
        # The category as at a date is read from the plan's history (category_in_force):
        # the plan as started, then as changed at the review.
        started = {**row, "latest_category": plan.initial_category}
        sim.writer.add_history(cw.ChildProtectionPlan, started, row["created_at"], "+")
        sim.writer.add_history(cw.ChildProtectionPlan, row, stamp(plan.category_changed_on), "~")
    previous = plan.started_on
    for due, held, outcome in plan.reviews:
        if previous > end:
            break
        done = held <= end
        status = status_after(cw.ChildProtectionConference)
        if done:
            # The review's guard is the plan's (review_record decides on the plan, then
            # holds the conference: a step with no guard of its own beyond the table).
            decide_review(active, held_on=held, outcome=outcome)
            status = status_after_step(cw.ChildProtectionConference, status, "hold")
        w(cw.ChildProtectionConference, {
            "id": sim.next_id("conference"), "child_id": ep.child.id, "referral_id": ep.id,
            "kind": "review", "s47_id": None, "plan_id": plan_id, "status": status,
            "due_on": due, "scheduled_for": held,
            "held_on": held if done else None, "transfer_in": False,
            "outcome": outcome if done else "", "chair": sim.chair(),
            "created_at": stamp(previous), "updated_at": stamp(held if done else previous),
        })  # fmt: skip
        previous = held
    for due, held in plan.core_groups:
        w(cw.CoreGroup, {
            "id": sim.next_id("coregroup"), "plan_id": plan_id, "due_on": due, "held_on": held,
            "notes": "", "created_at": stamp(held), "updated_at": stamp(held),
        })  # fmt: skip
    for day, seen, alone in visits:
        _visit(sim, out, ep, "cp", day, seen, alone, plan_id=plan_id)


def _visit(sim, out, ep, kind, day, seen, alone, *, assessment_id=None, plan_id=None) -> None:
    out.add(cw.Visit, {
        "id": sim.next_id("visit"), "child_id": ep.child.id, "referral_id": ep.id,
        "kind": kind, "assessment_id": assessment_id if kind == "assessment" else None,
        "cp_plan_id": plan_id, "worker_id": worker_at(ep, day), "visited_on": day,
        "child_seen": seen, "seen_alone": seen and alone, "notes": "",
        "created_at": sim.stamp(day), "updated_at": sim.stamp(day),
    })  # fmt: skip

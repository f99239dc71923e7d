"""Rows for one CIN episode as its records stand on the end date: the same fields, statuses
and due dates the services set (status from the furthest step reached, deadlines from
``casework.calendar``), and nothing dated after the end date or after the closure."""

from __future__ import annotations

from datetime import date

from casework import models as cw
from casework import timescales as ts
from casework.transitions import S47_SIGNED_OFF, status_after
from referrals import models as rf

ATTENDEES = "Police; Health; Education; Children's social care"


def worker_at(episode, day: date):
    found = None
    for seg in episode.segments:
        if seg.started_on <= day and (seg.ended_on is None or day < seg.ended_on):
            found = seg.worker
    return found


def write_episode(sim, ep) -> None:
    end, t, add, stamp, w = sim.end, ep.timeline, sim.days.add, sim.stamp, sim.writer.add
    closed = t.closed_on <= end
    a = t.assessment
    authorised = a is not None and a.authorised_on <= end
    w(rf.Referral, {
        "id": ep.id, "child_id": ep.child.id, "contact_child_id": ep.contact_child_id,
        "referred_on": ep.referred_on, "source": ep.source, "nfa": t.nfa,
        "primary_need": t.primary_need if authorised else "",
        "status": status_after(rf.Referral, *(["close"] if closed else [])),
        "closed_on": t.closed_on if closed else None,
        "closure_reason": t.closure_reason if closed else "",
        "assessment_due_on": None if t.nfa else add(ep.referred_on, ts.ASSESSMENT_WORKING_DAYS),
        "created_at": ep.created_at,
        "updated_at": stamp(t.closed_on) if closed else ep.created_at,
    })  # fmt: skip
    for seg in ep.segments:
        w(cw.Allocation, {
            "id": seg.id, "child_id": ep.child.id, "referral_id": ep.id,
            "worker_id": seg.worker, "team_id": seg.team, "started_on": seg.started_on,
            "ended_on": seg.ended_on, "reason": seg.reason, "end_reason": seg.end_reason,
            "court_work": t.court_work and seg.started_on >= (t.icpc_on or date.max),
            "created_at": stamp(seg.started_on),
            "updated_at": stamp(seg.ended_on or seg.started_on),
        })  # fmt: skip
    assessment_id = _assessment(sim, ep, a) if a is not None and a.started_on <= end else None
    _protection(sim, ep)
    if t.cin_plan and t.cin_plan[0] <= end:
        start, stop = t.cin_plan
        w(cw.CINPlan, {
            "id": sim.next_id("cinplan"), "child_id": ep.child.id, "referral_id": ep.id,
            "status": status_after(cw.CINPlan, *(["end"] if stop <= end else [])),
            "started_on": start,
            "ended_on": stop if stop <= end else None,
            "created_at": stamp(start), "updated_at": stamp(stop if stop <= end else start),
        })  # fmt: skip
    for kind, day, seen, alone in t.visits:
        if day <= end:
            _visit(sim, ep, kind, day, seen, alone, assessment_id=assessment_id)


def _assessment(sim, ep, a) -> int:
    end, add = sim.end, sim.days.add
    row = {
        "id": sim.next_id("assessment"), "child_id": ep.child.id, "referral_id": ep.id,
        "worker_id": worker_at(ep, a.started_on) or _first_worker(ep),
        "started_on": a.started_on, "due_on": add(ep.referred_on, ts.ASSESSMENT_WORKING_DAYS),
        "dfe_due_on": add(a.started_on, ts.ASSESSMENT_WORKING_DAYS),
        "child_seen_on": a.child_seen_on if a.child_seen_on and a.child_seen_on <= end else None,
        "completed_on": None, "submitted_on": None, "returned_on": None, "return_reason": "",
        "times_returned": 0, "authorised_on": None, "outcome": "", "factors": [],
        "created_at": sim.stamp(a.started_on),
    }  # fmt: skip
    last, steps = a.started_on, []
    if a.first_submitted_on and a.first_submitted_on <= end:
        row.update(completed_on=a.first_submitted_on, submitted_on=a.first_submitted_on)
        steps += ["complete", "submit"]
        last = a.first_submitted_on
        if a.returned_on <= end:
            row.update(
                returned_on=a.returned_on,
                times_returned=1,
                return_reason="Analysis of risk needs strengthening before sign-off.",
            )
            steps.append("return_to_worker")
            last = a.returned_on
    if a.completed_on <= end and (a.returned_on is None or a.completed_on > a.returned_on):
        row.update(completed_on=a.completed_on)
        steps.append("complete")
        last = a.completed_on
    if a.submitted_on <= end and a.completed_on <= end and steps[-1:] == ["complete"]:
        row.update(submitted_on=a.submitted_on)
        steps.append("submit")
        last = a.submitted_on
    if a.authorised_on <= end:
        row.update(authorised_on=a.authorised_on, outcome=a.outcome, factors=a.factors)
        steps.append("authorise")
        last = a.authorised_on
    # The status the assessment's declared transitions reach by these steps, as the services
    # would have moved it: never a status string written here.
    row["status"] = status_after(cw.Assessment, *steps)
    row["updated_at"] = sim.stamp(last)
    sim.writer.add(cw.Assessment, row)
    return row["id"]


def _first_worker(ep):
    return ep.segments[0].worker if ep.segments else None


def _protection(sim, ep) -> None:
    end, t, stamp, w = sim.end, ep.timeline, sim.stamp, sim.writer.add
    if t.strategy_on is None or t.strategy_on > end:
        return
    sd_id = sim.next_id("strategy")
    w(cw.StrategyDiscussion, {
        "id": sd_id, "child_id": ep.child.id, "referral_id": ep.id, "held_on": t.strategy_on,
        "s47_required": t.s47_required, "attendees": ATTENDEES, "notes": "",
        "recorded_by_id": None, "created_at": stamp(t.strategy_on),
        "updated_at": stamp(t.strategy_on),
    })  # fmt: skip
    if not t.s47_required:
        return
    done = t.s47_ended_on <= end
    s47_id = sim.next_id("s47")
    w(cw.Section47Enquiry, {
        "id": s47_id, "child_id": ep.child.id, "referral_id": ep.id,
        "strategy_discussion_id": sd_id,
        "status": status_after(cw.Section47Enquiry, *(S47_SIGNED_OFF if done else ())),
        "started_on": t.strategy_on, "icpc_due_on": t.icpc_due_on,
        "ended_on": t.s47_ended_on if done else None, "outcome": t.s47_outcome if done else "",
        "icpc_not_required": done and t.s47_outcome != "icpc", "authorised_by_id": None,
        "created_at": stamp(t.strategy_on), "updated_at": stamp(t.s47_ended_on if done
                                                                 else t.strategy_on),
    })  # fmt: skip
    if t.icpc_on is None or not done:
        return
    held = t.icpc_on <= end
    icpc_id = sim.next_id("conference")
    sim.writer.add(cw.ChildProtectionConference, {
        "id": icpc_id, "child_id": ep.child.id, "referral_id": ep.id, "kind": "initial",
        "s47_id": s47_id, "plan_id": None,
        "status": status_after(cw.ChildProtectionConference, *(["hold"] if held else [])),
        "due_on": t.icpc_due_on, "scheduled_for": t.icpc_on,
        "held_on": t.icpc_on if held else None, "transfer_in": False,
        "outcome": ("plan" if t.icpc_plan else "no_plan") if held else "",
        "chair": sim.chair(), "created_at": stamp(t.s47_ended_on),
        "updated_at": stamp(t.icpc_on if held else t.s47_ended_on),
    })  # fmt: skip
    if held and t.plan is not None:
        _plan(sim, ep, t.plan, icpc_id)


def _plan(sim, ep, plan, icpc_id) -> None:
    end, days, stamp, w = sim.end, sim.days, sim.stamp, sim.writer.add
    ended = plan.ended_on is not None and plan.ended_on <= end
    plan_id = sim.next_id("plan")
    visits = [v for v in plan.visits if v[0] <= end]
    next_review = next((due for due, held, _ in plan.reviews if held > end), None)
    last_visit = visits[-1][0] if visits else plan.started_on
    changed = plan.category_changed_on is not None and plan.category_changed_on <= end
    standard = sim.visit_standard
    row = {
        "id": plan_id, "child_id": ep.child.id, "referral_id": ep.id, "icpc_id": icpc_id,
        "status": status_after(cw.ChildProtectionPlan, *(["end"] if ended else [])),
        "started_on": plan.started_on,
        "ended_on": plan.ended_on if ended else None,
        "initial_category": plan.initial_category,
        "latest_category": plan.latest_category if changed else plan.initial_category,
        "first_core_group_due_on": days.add(plan.started_on, ts.CORE_GROUP_WORKING_DAYS),
        "next_review_due_on": None if ended else next_review,
        "next_visit_due_on": None if ended else days.add(last_visit, standard),
        "end_reason": "Plan ended at review conference" if ended else "",
        "created_at": stamp(plan.started_on),
        "updated_at": stamp(plan.ended_on if ended else last_visit),
    }  # fmt: skip
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
        w(cw.ChildProtectionConference, {
            "id": sim.next_id("conference"), "child_id": ep.child.id, "referral_id": ep.id,
            "kind": "review", "s47_id": None, "plan_id": plan_id,
            "status": status_after(cw.ChildProtectionConference, *(["hold"] if done else [])),
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
        _visit(sim, ep, "cp", day, seen, alone, plan_id=plan_id)


def _visit(sim, ep, kind, day, seen, alone, *, assessment_id=None, plan_id=None) -> None:
    sim.writer.add(cw.Visit, {
        "id": sim.next_id("visit"), "child_id": ep.child.id, "referral_id": ep.id,
        "kind": kind, "assessment_id": assessment_id if kind == "assessment" else None,
        "cp_plan_id": plan_id, "worker_id": worker_at(ep, day), "visited_on": day,
        "child_seen": seen, "seen_alone": seen and alone, "notes": "",
        "created_at": sim.stamp(day), "updated_at": sim.stamp(day),
    })  # fmt: skip

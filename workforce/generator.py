"""The synthetic authority's establishment, absences, supervision and a year of audits.

Built from the workers the casework generator wrote (``casework.generator.hooks``), so
it needs no change there: each worker's tenure becomes a contract in a post of their
team and role (a post is reused once its last holder has left), with extra unfilled
posts so the vacancy rate lands near England's 17-19% (agency cover, which does not
fill a vacancy, makes up most of it). Sickness is near England's 3.2% of working days,
leavers' reasons follow the CSWW's usual mix, case supervision is every 3-6 weeks (about
three in four children in time) and each team has two audits a month, graded as councils'
published audit results run (about 60% good or better).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Max, Q

from casework import calendar
from casework.generator.writers import Writer
from casework.models import Allocation, Team, Worker, WorkerRole
from casework.predicates import allocation_open_on, allocation_worked_between
from casework.transitions import status_after, unsaved
from metrics import periods as P
from workforce.codes import AUDIT_QUESTIONS, AbsenceKind, Grade, LeavingReason
from workforce.models import (
    Absence,
    AuditAction,
    CaseAudit,
    CaseSupervision,
    Contract,
    Post,
    WorkerSupervision,
)  # fmt: skip
from workforce.services.audits import decide_audit_complete, decide_audit_moderate

MODELS = [Post, Contract, Absence, WorkerSupervision, CaseSupervision, CaseAudit, AuditAction]
EXTRA_VACANT_POSTS = 0.01  # of social work posts: budgeted, never filled
# The simulation's agency workers stay about a year, so few are in post at any date;
# this share of the experienced social workers in post over the last year are agency
# (England: 17.8% of FTE in 2023, four in five covering a vacancy).
AGENCY_IN_POST = 0.15
SICK_EPISODES_PER_YEAR = 1.7
LEAVING = [(LeavingReason.RESIGNED, 62), (LeavingReason.RETIRED, 9), (LeavingReason.OTHER, 8),
           (LeavingReason.MOVED_ROLE, 9), (LeavingReason.DISMISSED, 3),
           (LeavingReason.VOLUNTARY_REDUNDANCY, 2), (LeavingReason.NOT_KNOWN, 7)]  # fmt: skip
GRADES = [(Grade.OUTSTANDING, 8), (Grade.GOOD, 52), (Grade.REQUIRES_IMPROVEMENT, 32),
          (Grade.INADEQUATE, 8)]  # fmt: skip
ORDER = [g for g, _ in GRADES]
DECISIONS = [
    "Continue the plan; visit within 10 working days",
    "Update the chronology",
    "Request a strategy discussion if concerns continue",
    "Review the plan at core group",
    "Seek the child's views before the review",
    "Consider step-down to early help",
]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


class _Ids:
    def __init__(self):
        self.next = {m: 1 + (m.objects.aggregate(x=Max("pk"))["x"] or 0) for m in MODELS}

    def __call__(self, model) -> int:
        self.next[model] += 1
        return self.next[model] - 1


def generate_workforce(*, start: date, end: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 31 + 21)
    writer, ids = Writer(MODELS), _Ids()
    _agency_cover(rng, start, end)
    workers = list(
        Worker.objects.order_by("started_on", "pk").values(
            "pk", "team_id", "role", "fte", "employment", "newly_qualified", "started_on", "left_on"
        )
    )
    _establishment(writer, ids, rng, workers, start, end)
    _absences(writer, ids, rng, workers, start, end)
    managers = dict(Team.objects.values_list("pk", "manager_id"))
    head = next((w["pk"] for w in workers if w["role"] == WorkerRole.HEAD_OF_SERVICE), None)
    year_from = max(start, P.add_months(end, -12) + timedelta(days=1))
    _worker_supervision(writer, ids, rng, workers, managers, head, year_from, end)
    _case_supervision(writer, ids, rng, managers, year_from, end)
    _audits(writer, ids, rng, year_from, end)
    writer.finish()
    return {t.table: t.count for t in writer.tables.values()}


def _agency_cover(rng, start: date, end: date) -> None:
    """Top agency staff up to ``AGENCY_IN_POST`` of the social workers in post in the last
    year: the simulation already hires some agency workers, so only the shortfall of
    experienced permanent social workers become agency (the Worker row and, below, the
    contract agree)."""
    since = P.add_months(end, -12)
    in_post = Worker.objects.filter(role=WorkerRole.SOCIAL_WORKER).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=since)
    )
    shortfall = (
        round(AGENCY_IN_POST * in_post.count()) - in_post.filter(employment="agency").count()
    )
    if shortfall <= 0:
        return
    candidates = list(
        in_post.filter(employment="permanent", newly_qualified=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(candidates, min(shortfall, len(candidates)))
    Worker.objects.filter(pk__in=chosen).update(employment="agency")


@dataclass
class _Post:
    id: int
    team: int
    role: str
    valid_from: date
    budget: Decimal
    free_from: date = date.max  # the day after its holder's last day
    closes_on: date = date.max  # a post left vacant this long is cut from the budget


def _establishment(writer, ids, rng, workers, start: date, end: date) -> None:
    posts: dict[tuple, list[_Post]] = defaultdict(list)
    for w in workers:
        key = (w["team_id"], w["role"])
        post = next((p for p in posts[key] if p.free_from <= w["started_on"] <= p.closes_on),
                    None)  # fmt: skip
        if post is None:
            # A post approved for a later hire opens while it is recruited to (20-60 days).
            opened = w["started_on"]
            if opened > start:
                opened -= timedelta(days=rng.randint(20, 60))
            post = _Post(ids(Post), *key, opened, w["fte"])
            posts[key].append(post)
        post.budget = max(post.budget, w["fte"])
        post.free_from, post.closes_on = date.max, date.max
        if w["left_on"]:
            post.free_from = w["left_on"] + timedelta(days=1)
            post.closes_on = post.free_from + timedelta(days=rng.randint(10, 60))
        reason = _pick(rng, LEAVING) if w["left_on"] else ""
        writer.add(Contract, {"id": ids(Contract), "worker_id": w["pk"], "post_id": post.id,
                              "started_on": w["started_on"], "ended_on": w["left_on"],
                              "fte": w["fte"], "employment": w["employment"],
                              "newly_qualified": w["newly_qualified"], "leaving_reason": reason},
                   history_date=_at(w["started_on"]))  # fmt: skip
    for (team, role), held in sorted(posts.items()):
        extra = 0
        if role == WorkerRole.SOCIAL_WORKER:
            extra = round(len(held) * EXTRA_VACANT_POSTS + rng.random() - 0.5)
        for post in held + [_Post(ids(Post), team, role, start, Decimal("1.00"))
                            for _ in range(extra)]:  # fmt: skip
            closes = post.closes_on if post.closes_on <= end else None
            writer.add(Post, {"id": post.id, "team_id": team, "role": role, "title": "",
                              "budgeted_fte": post.budget, "valid_from": post.valid_from,
                              "valid_to": closes}, history_date=_at(post.valid_from))  # fmt: skip


def _absences(writer, ids, rng, workers, start: date, end: date) -> None:
    for w in workers:
        if w["employment"] != "permanent":
            continue
        first, last = max(w["started_on"], start), min(w["left_on"] or end, end)
        day = first + timedelta(days=int(rng.expovariate(SICK_EPISODES_PER_YEAR / 365)))
        while day < last:
            length = rng.randint(1, 5) if rng.random() < 0.8 else rng.randint(10, 40)
            until = min(day + timedelta(days=length - 1), last)
            lost = calendar.working_days_between(day - timedelta(days=1), until)
            if lost:
                writer.add(Absence, {"id": ids(Absence), "worker_id": w["pk"],
                                     "kind": AbsenceKind.SICKNESS, "started_on": day,
                                     "ended_on": until, "days_lost": Decimal(lost)},
                           history_date=_at(day))  # fmt: skip
            day = until + timedelta(days=1 + int(rng.expovariate(SICK_EPISODES_PER_YEAR / 365)))


def _worker_supervision(writer, ids, rng, workers, managers, head, first: date, end: date):
    for w in workers:
        supervisor = head if w["role"] == WorkerRole.TEAM_MANAGER else managers.get(w["team_id"])
        if supervisor is None or supervisor == w["pk"] or w["role"] == WorkerRole.HEAD_OF_SERVICE:
            continue
        every = 14 if w["newly_qualified"] else 28
        day = max(first, w["started_on"]) + timedelta(days=rng.randint(0, every))
        while day <= min(w["left_on"] or end, end):
            writer.add(WorkerSupervision, {
                "id": ids(WorkerSupervision), "worker_id": w["pk"], "supervisor_id": supervisor,
                "held_on": day, "notes": "Workload, wellbeing and development reviewed",
                "next_due_on": day + timedelta(days=every)}, history_date=_at(day))  # fmt: skip
            day += timedelta(days=every + rng.choice((0, 0, 0, 3, 7, 14)))
        writer.maybe_flush()


def _case_supervision(writer, ids, rng, managers, first: date, end: date) -> None:
    open_in_year = Allocation.objects.current().filter(allocation_worked_between(first, end))
    rows = open_in_year.values_list("child_id", "worker_id", "worker__team_id", "started_on",
                                    "ended_on").order_by("pk")  # fmt: skip
    for child, worker, team, began, ended in rows.iterator(chunk_size=5000):
        supervisor = managers.get(team)
        if supervisor is None or supervisor == worker:
            continue
        day = max(first, began) + timedelta(days=rng.randint(5, 30))
        while day <= min(ended or end, end):
            writer.add(CaseSupervision, {
                "id": ids(CaseSupervision), "child_id": child, "worker_id": worker,
                "supervisor_id": supervisor, "held_on": day, "decisions": rng.choice(DECISIONS),
                "next_due_on": day + timedelta(days=28), "recorded_by_id": None,
            }, history_date=_at(day))  # fmt: skip
            day += timedelta(days=rng.randint(21, 45))
        writer.maybe_flush()


def _audits(writer, ids, rng, first: date, end: date) -> None:
    month = first.replace(day=1)
    while month <= end:
        mid = min(month + timedelta(days=14), end)
        held = defaultdict(list)
        rows = (
            Allocation.objects.current()
            .filter(allocation_open_on(mid))
            .values_list("worker__team_id", "child_id", "referral_id", "worker_id")
        )
        for team, *rest in rows.order_by("pk"):
            held[team].append(rest)
        for team, files in sorted(held.items()):
            for child, referral, worker in rng.sample(files, min(2, len(files))):
                _audit(writer, ids, rng, team, child, referral, worker, month, mid)
        month = P.add_months(month, 1)


def _audit(writer, ids, rng, team, child, referral, worker, month: date, day: date) -> None:
    grade = _pick(rng, GRADES)
    near = [ORDER[max(0, min(3, ORDER.index(grade) + rng.choice((-1, 0, 0, 0, 1))))]
            for _ in AUDIT_QUESTIONS]  # fmt: skip
    answers = {key: g for (key, _, _), g in zip(AUDIT_QUESTIONS, near, strict=True)}
    moderated = rng.random() < 0.1
    pk = ids(CaseAudit)
    # As audit_sample_draw, then audit_complete and audit_moderate decide (one table row).
    row = {"status": status_after(CaseAudit), "answers": answers}
    row["status"] = decide_audit_complete(unsaved(CaseAudit, row), answers=answers, audited_on=day)
    if moderated:
        row["status"] = decide_audit_moderate(unsaved(CaseAudit, row), moderated_on=day)
    status = row["status"]
    writer.add(CaseAudit, {
        "id": pk, "child_id": child, "referral_id": referral, "team_id": team,
        "worker_id": worker, "status": status,
        "sample_month": month, "theme": "", "tool_version": 1, "auditor_id": None,
        "audited_on": day, "answers": answers,
        "grade": grade, "findings": "", "moderator_id": None,
        "moderated_on": day if moderated else None,
        "moderated_grade": _pick(rng, GRADES) if moderated else "", "moderation_notes": "",
    }, history_date=_at(day))  # fmt: skip
    if grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE):
        due = day + timedelta(days=28)
        writer.add(AuditAction, {
            "id": ids(AuditAction), "audit_id": pk, "owner_id": worker,
            "description": "Update the plan and chronology", "due_on": due,
            "done_on": due - timedelta(days=rng.randint(0, 20)) if rng.random() < 0.7 else None,
        }, history_date=_at(day))  # fmt: skip

""" "My work", caseload first: every child allocated to a worker, with where each child is
on the pathway and what is due next.

One query for the children (their episode, plans and last seen date as subqueries) plus
the worktray's step queries, whatever the caseload; the next step of each child is the
soonest of its open steps (``worktray_items``), so both tables share one deadline rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from accounts.models import User
from casework.models import ChildProtectionPlan, CINPlan, Visit, Worker
from casework.models.child import Child
from casework.predicates import open_allocations, open_episodes
from casework.selectors.child_record import case_status, with_case_flags
from casework.selectors.worktray import WorkItem, allocated_children


@dataclass(frozen=True)
class CaseloadRow:
    child: Child
    episode_id: int | None
    referred_on: date | None
    allocated_on: date | None
    status: str
    plan: str
    next_step: WorkItem | None
    next_visit_due_on: date | None
    last_seen_on: date | None

    @property
    def next_step_url(self) -> str:
        if self.next_step is not None:
            return self.next_step.url
        return reverse("child", args=[self.child.pk])

    @property
    def urgency(self):
        """Most urgent first: the soonest next step, then children with nothing due."""
        due = self.next_step.due_on if self.next_step else date.max
        return (due, self.child.last_name, self.child.first_name, self.child.pk)


def _latest(queryset, field: str):
    return Subquery(queryset.values(field)[:1])


def _children(worker: Worker, children: list[int]):
    episodes = open_episodes().filter(child=OuterRef("pk"))
    allocations = open_allocations().filter(child=OuterRef("pk"), worker=worker)
    cp_plans = ChildProtectionPlan.objects.current().filter(
        child=OuterRef("pk"), status=ChildProtectionPlan.Status.ACTIVE
    )
    cin_plans = CINPlan.objects.current().filter(child=OuterRef("pk"), status=CINPlan.Status.ACTIVE)
    seen = Visit.objects.current().filter(child=OuterRef("pk"), child_seen=True)
    return with_case_flags(Child.objects.filter(pk__in=children)).annotate(
        episode_id=_latest(episodes.order_by("-referred_on", "-pk"), "pk"),
        referred_on=_latest(episodes.order_by("-referred_on", "-pk"), "referred_on"),
        allocated_on=_latest(allocations.order_by("-started_on"), "started_on"),
        cp_started_on=_latest(cp_plans.order_by("-started_on"), "started_on"),
        cp_category=_latest(cp_plans.order_by("-started_on"), "latest_category"),
        cp_visit_due_on=_latest(cp_plans.order_by("-started_on"), "next_visit_due_on"),
        cin_started_on=_latest(cin_plans.order_by("-started_on"), "started_on"),
        last_seen_on=_latest(seen.order_by("-visited_on"), "visited_on"),
    )


def _plan(child) -> str:
    if child.cp_started_on:
        return f"Child protection plan ({child.cp_category}) from {child.cp_started_on:%-d %b %Y}"
    if child.cin_started_on:
        return f"Child in need plan from {child.cin_started_on:%-d %b %Y}"
    return "No plan"


def caseload_rows(
    *, worker: Worker, user: User, items: list[WorkItem], children: list[int] | None = None
) -> list[CaseloadRow]:
    """Every child allocated to ``worker`` that ``user`` may see, most urgent first.
    ``items`` are the worker's open steps (``worktray_items``, unfiltered); ``children``
    the ids ``allocated_children`` gave, when the page has them already."""
    if children is None:
        children = allocated_children(worker, user)
    next_steps: dict[int, WorkItem] = {}
    for item in items:
        next_steps.setdefault(item.child.pk, item)  # items come soonest first
    rows = [
        CaseloadRow(
            child=c,
            episode_id=c.episode_id,
            referred_on=c.referred_on,
            allocated_on=c.allocated_on,
            status=case_status(c),
            plan=_plan(c),
            next_step=next_steps.get(c.pk),
            next_visit_due_on=c.cp_visit_due_on,
            last_seen_on=c.last_seen_on,
        )
        for c in _children(worker, children)
    ]
    rows.sort(key=lambda r: r.urgency)
    return rows

""" "My work": every due and overdue step for a worker's allocated children.

One query per kind of step (six in all, whatever the caseload), merged and sorted by
due date in Python. Status and working days are computed from the stored due date and
the clock (``Deadline``), never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from accounts.models import User
from accounts.permissions import visible_children
from casework.calendar import CalendarRangeError, working_days_between
from casework.models import (
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CoreGroup,
    Deadline,
    Section47Enquiry,
    Visit,
    VisitKind,
    Worker,
)
from casework.models.child import Child
from casework.predicates import open_allocations
from casework.timescales import cin_visit_due_on


class Kind:
    ASSESSMENT = "assessment"
    ICPC = "icpc"
    REVIEW = "review"
    CORE_GROUP = "core_group"
    VISIT = "visit"
    CIN_VISIT = "cin_visit"
    CHOICES = [
        (ASSESSMENT, "Assessment to be authorised"),
        (ICPC, "Initial child protection conference"),
        (REVIEW, "Review conference"),
        (CORE_GROUP, "First core group"),
        (VISIT, "Child protection visit"),
        (CIN_VISIT, "Child in need visit"),
    ]
    LABELS = dict(CHOICES)


# Steps other apps add (care: looked-after reviews, visits...), so casework never imports
# them: kind -> source(children queryset, today) yielding WorkItems, one query per source.
EXTRA_SOURCES: dict = {}


def register_kind(kind: str, label: str, source) -> None:
    if kind not in Kind.LABELS:
        Kind.CHOICES.append((kind, label))
        Kind.LABELS[kind] = label
    EXTRA_SOURCES[kind] = source


# The statuses a step still to do can have (met/missed only apply to done steps).
OPEN_STATUSES = [
    (Deadline.OVERDUE, Deadline.LABELS[Deadline.OVERDUE]),
    (Deadline.DUE_SOON, Deadline.LABELS[Deadline.DUE_SOON]),
    (Deadline.DUE, Deadline.LABELS[Deadline.DUE]),
]


@dataclass(frozen=True)
class WorkItem:
    kind: str
    child: Child
    due_on: date
    status: str
    working_days: int | None  # left (positive) or overdue (negative)
    detail: str = ""
    # The form that does this step (the child record when none applies to the worker).
    url: str = ""

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return Deadline.LABELS[self.status]


def _working_days(today: date, due_on: date) -> int | None:
    try:
        return working_days_between(today, due_on)
    except CalendarRangeError:
        return None


def _item(
    kind: str, child: Child, due_on: date, today: date, detail: str = "", url: str = ""
) -> WorkItem:
    try:
        status = Deadline.status(due_on=due_on, done_on=None, today=today)
    except CalendarRangeError:
        status = Deadline.OVERDUE if due_on < today else Deadline.DUE
    url = url or reverse("child", args=[child.pk])
    return WorkItem(kind, child, due_on, status, _working_days(today, due_on), detail, url)


def assessment_next_step(assessment: Assessment) -> str | None:
    """The worker's next form on an open assessment; None while a manager holds it."""
    status = assessment.status
    if status in (Assessment.Status.IN_PROGRESS, Assessment.Status.RETURNED):
        return "seen" if assessment.child_seen_on is None else "complete"
    if status == Assessment.Status.COMPLETED:
        return "submit"
    return None


def allocated_children(worker: Worker, user: User) -> list[int]:
    """The ids of the worker's allocated children that ``user`` may see: an allocation
    alone does not open a restricted record (access list only) or one entered in error.

    One query, resolved once per page (issue 25): My work's step queries and caseload
    take the ids, so none of them repeats the visibility rule's subqueries."""
    allocated = open_allocations().filter(worker=worker).values("child")
    return list(
        visible_children(user, Child.objects.filter(pk__in=allocated))
        .order_by()
        .values_list("pk", flat=True)
    )


def _assessments(children, today):
    rows = (
        Assessment.objects.current()
        .filter(child__in=children)
        .exclude(status=Assessment.Status.AUTHORISED)
        .select_related("child")
    )
    for a in rows:
        step = assessment_next_step(a)
        url = reverse("assessment_step", args=[a.pk, step]) if step else ""
        yield _item(Kind.ASSESSMENT, a.child, a.due_on, today, a.get_status_display(), url)


def _icpcs(children, today):
    icpc_held = ChildProtectionConference.objects.current().filter(
        s47=OuterRef("pk"), held_on__isnull=False
    )
    rows = (
        Section47Enquiry.objects.current()
        .filter(child__in=children, icpc_not_required=False)
        .filter(Q(outcome="") | Q(outcome="icpc"))
        .exclude(Exists(icpc_held))
        .select_related("child")
    )
    for s in rows:
        yield _item(
            Kind.ICPC, s.child, s.icpc_due_on, today, f"s47 started {s.started_on:%d/%m/%Y}"
        )


def _plans(children):
    return (
        ChildProtectionPlan.objects.current()
        .filter(child__in=children, status=ChildProtectionPlan.Status.ACTIVE)
        .annotate(core_group_held=Exists(CoreGroup.objects.current().filter(plan=OuterRef("pk"))))
        .select_related("child")
    )


def _cin_visits(children, today):
    """Active CIN plans: the next visit is due 20 working days after the child was last
    seen at a CIN visit in the plan (or the plan's start). One query."""
    seen = Visit.objects.current().filter(
        child=OuterRef("child"), kind=VisitKind.CIN, child_seen=True,
        visited_on__gte=OuterRef("started_on"),
    )  # fmt: skip
    rows = (
        CINPlan.objects.current()
        .filter(child__in=children, status=CINPlan.Status.ACTIVE)
        .annotate(last_seen=seen.values("child").annotate(m=Max("visited_on")).values("m")[:1])
        .select_related("child")
    )
    for plan in rows:
        due = cin_visit_due_on(plan.last_seen or plan.started_on)
        url = reverse("visit_new", args=[plan.referral_id]) + "?kind=cin"
        yield _item(Kind.CIN_VISIT, plan.child, due, today, url=url)


def worktray_items(
    *,
    worker: Worker,
    user: User,
    today: date,
    kind: str | None = None,
    status: str | None = None,
    children: list[int] | None = None,
) -> list[WorkItem]:
    """Every open step for ``worker``'s allocated children that ``user`` may see, soonest
    (most overdue) first.

    Queries: assessments, s47s awaiting an ICPC, active CP plans (reviews, first core
    groups and visits all come from the plan row) and active CIN plans (their visits):
    four, or fewer when filtered by kind.
    ``children``: the ids ``allocated_children`` gave, when the page has them already.
    """
    if children is None:
        children = allocated_children(worker, user)
    items: list[WorkItem] = []
    if kind in (None, Kind.ASSESSMENT):
        items.extend(_assessments(children, today))
    if kind in (None, Kind.ICPC):
        items.extend(_icpcs(children, today))
    if kind in (None, Kind.REVIEW, Kind.CORE_GROUP, Kind.VISIT):
        for plan in _plans(children):
            if kind in (None, Kind.REVIEW) and plan.next_review_due_on:
                url = reverse("plan_step", args=[plan.pk, "review"])
                items.append(
                    _item(Kind.REVIEW, plan.child, plan.next_review_due_on, today, url=url)
                )
            if kind in (None, Kind.CORE_GROUP) and not plan.core_group_held:
                url = reverse("plan_step", args=[plan.pk, "core-group"])
                due = plan.first_core_group_due_on
                items.append(_item(Kind.CORE_GROUP, plan.child, due, today, url=url))
            if kind in (None, Kind.VISIT) and plan.next_visit_due_on:
                url = reverse("visit_new", args=[plan.referral_id]) + "?kind=cp"
                items.append(_item(Kind.VISIT, plan.child, plan.next_visit_due_on, today, url=url))
    if kind in (None, Kind.CIN_VISIT):
        items.extend(_cin_visits(children, today))
    for extra, source in EXTRA_SOURCES.items():
        if kind in (None, extra):
            items.extend(source(children, today))
    items = only(items, status=status)
    items.sort(key=lambda i: (i.due_on, i.child.last_name, i.child.first_name, i.kind))
    return items


def only(items: list[WorkItem], *, kind: str | None = None, status: str | None = None):
    """The items of one kind and/or status (filters applied to an already-read list)."""
    return [i for i in items if (not kind or i.kind == kind) and (not status or i.status == status)]

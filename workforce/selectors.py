"""Reads for the workforce pages: team figures, the capacity model, establishment,
supervision queues and audit results.

The workforce page's team figures, which share the KPIs' computations, are in
``workforce/kpi_figures.py`` (the metrics layer).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from accounts.permissions import can
from casework.models import Team, Worker
from casework.predicates import open_allocations
from casework.selectors.next_steps import NextStep
from casework.transitions import available
from workforce.models import (
    Absence,
    AuditAction,
    CaseAudit,
    CaseSupervision,
    Contract,
    Post,
    WorkerSupervision,
)  # fmt: skip
from workforce.predicates import contract_in_post


def absent_until(worker_ids: list[int], on: date) -> dict[int, date]:
    """{worker id: last day of the absence covering ``on``}: one query. Registered with
    casework's allocation page (``casework.selectors.caseload.register_absence_lookup``)."""
    rows = (
        Absence.objects.filter(worker_id__in=worker_ids, started_on__lte=on, ended_on__gte=on)
        .values("worker_id")
        .annotate(until=Max("ended_on"))
    )
    return {row["worker_id"]: row["until"] for row in rows}


def establishment(team: Team, *, on: date):
    """The team's open posts with their current contracts and free FTE."""
    current = Contract.objects.filter(contract_in_post(on)).select_related("worker")
    posts = list(
        Post.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), team=team)
        .prefetch_related(Prefetch("contracts", queryset=current, to_attr="current"))
        .order_by("role", "pk")
    )
    for post in posts:
        employed = sum((c.fte for c in post.current if not c.is_agency), Decimal(0))
        post.vacant_fte = max(post.budgeted_fte - employed, Decimal(0))
        post.free_fte = max(post.budgeted_fte - sum((c.fte for c in post.current), Decimal(0)),
                            Decimal(0))  # fmt: skip
    return posts


def leavers(team: Team, *, since: date):
    return (
        Contract.objects.filter(post__team=team, ended_on__gte=since)
        .exclude(leaving_reason="")
        .select_related("worker", "post")
        .order_by("-ended_on")
    )


def worker_supervision_due(team: Team, *, on: date):
    """Staff in the team with their latest supervision's next due date (None: never)."""
    latest = WorkerSupervision.objects.filter(worker=OuterRef("pk")).order_by("-held_on", "-pk")
    return (
        Worker.objects.filter(team=team, left_on__isnull=True)
        .exclude(pk=team.manager_id or 0)
        .annotate(
            last_held=Max("supervisions__held_on"),
            next_due=Subquery(latest.values("next_due_on")[:1]),
        )  # fmt: skip
        .order_by("next_due", "last_name")
    )


def case_supervision_overdue(team: Team, *, on: date):
    """Children allocated in the team whose case supervision is overdue or never held."""
    latest = CaseSupervision.objects.filter(child=OuterRef("child")).order_by("-held_on", "-pk")
    return (
        open_allocations()
        .filter(Q(team=team) | Q(worker__team=team))
        .annotate(next_due=Subquery(latest.values("next_due_on")[:1]))
        .filter(Q(next_due__lt=on) | Q(next_due__isnull=True))
        .select_related("child", "worker")
        .order_by("next_due", "child__last_name")
    )


def audit_results(audits) -> dict:
    """Completed audits' final grades by team and by theme (questions grouped)."""
    from workforce.codes import AUDIT_QUESTIONS, GOOD_OR_BETTER

    theme_of = {key: theme for key, theme, _ in AUDIT_QUESTIONS}
    by_team, by_theme = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for audit in audits:
        cell = by_team[audit.team.name]
        cell[0] += audit.final_grade in GOOD_OR_BETTER
        cell[1] += 1
        for key, grade in audit.answers.items():
            if key in theme_of:
                by_theme[theme_of[key]][0] += grade in GOOD_OR_BETTER
                by_theme[theme_of[key]][1] += 1
    return {"teams": sorted(by_team.items()), "themes": sorted(by_theme.items())}


# The audits page's links: each offered while the audit's state machine allows its
# transition; actions may be added once the audit is graded (no grading step left).
AUDIT_STEPS = (
    ("complete", "Audit", "workforce:audit_complete"),
    ("moderate", "Moderate", "workforce:audit_moderate"),
)


def audit_steps(audit: CaseAudit, user) -> list[NextStep]:
    """The links for ``audit`` its status allows, for a user whose role audits case files
    (the services check both again when the form is sent)."""
    if not can(user, "case_file_audit"):
        return []
    allowed = available(audit)
    link = [audit.child_id, audit.pk]
    steps = [NextStep(label, reverse(url, args=link)) for t, label, url in AUDIT_STEPS
             if t in allowed]  # fmt: skip
    if "complete" not in allowed:
        steps.append(NextStep("Add an action", reverse("workforce:action_new", args=link)))
    return steps


def completed_audits(queryset):
    return queryset.filter(status__in=[CaseAudit.Status.COMPLETED, CaseAudit.Status.MODERATED])


def open_actions(audits):
    """Audit actions not yet done on ``audits`` (already narrowed to visible children)."""
    return (
        AuditAction.objects.filter(audit__in=audits.values("pk"), done_on__isnull=True)
        .select_related("owner", "audit__child")
        .order_by("due_on", "pk")
    )


def supervision_overdue_counts(team: Team, *, on: date) -> dict[str, int]:
    """For the manager's queue links: children and staff whose supervision is overdue."""
    staff = worker_supervision_due(team, on=on).filter(Q(next_due__lt=on) | Q(next_due=None))
    return {"cases": case_supervision_overdue(team, on=on).count(), "staff": staff.count()}

"""Reads for the workforce pages: team figures, the capacity model, establishment,
supervision queues and audit results.

The workforce page's rates come from the same functions as the KPIs
(``workforce.kpis``), for a period ending today, so page and KPI agree; caseloads come
from the caseload board's rule (``casework.selectors.caseload.worker_caseloads``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery, Sum

from casework.models import Allocation, Team, Worker
from casework.models.organisation import CASE_HOLDING_ROLES
from casework.selectors.caseload import current_authority, worker_caseloads
from metrics import periods as P
from workforce import kpis
from workforce.models import (
    Absence,
    AuditAction,
    CaseAudit,
    CaseSupervision,
    Contract,
    Post,
    WorkerSupervision,
)  # fmt: skip

AUTHORITY = ("authority", None)
RATES = ("vacancy_rate", "agency_rate", "turnover_rate_12m", "absence_rate",
         "newly_qualified_share", "span_of_control")  # fmt: skip


def absent_until(worker_ids: list[int], on: date) -> dict[int, date]:
    """{worker id: last day of the absence covering ``on``}: one query. Registered with
    casework's allocation page (``casework.selectors.caseload.register_absence_lookup``)."""
    rows = (
        Absence.objects.filter(worker_id__in=worker_ids, started_on__lte=on, ended_on__gte=on)
        .values("worker_id")
        .annotate(until=Max("ended_on"))
    )
    return {row["worker_id"]: row["until"] for row in rows}


@dataclass
class TeamFigures:
    team: Team | None  # None: the authority
    establishment: Decimal = Decimal(0)
    in_post: Decimal = Decimal(0)
    children: int = 0
    case_holding_fte: Decimal = Decimal(0)
    rates: dict = field(default_factory=dict)
    target: int = 25

    @property
    def name(self) -> str:
        return str(self.team) if self.team else "Authority"

    @property
    def caseload_per_fte(self) -> Decimal | None:
        if not self.case_holding_fte:
            return None
        return (Decimal(self.children) / self.case_holding_fte).quantize(Decimal("0.1"))

    @property
    def workers_needed(self) -> Decimal:
        """Capacity model: case-holding FTE needed to bring caseloads to the target,
        less the FTE holding cases now (never negative)."""
        needed = Decimal(math.ceil(self.children / self.target * 10) / 10) if self.target else 0
        return max(needed - self.case_holding_fte, Decimal(0)).quantize(Decimal("0.1"))


def _rate(figures: dict, scope) -> Decimal | None:
    num, den = figures.get(scope, (0, 0))
    return None if not den else Decimal(num) / Decimal(den)


def workforce_figures(*, teams, on: date) -> list[TeamFigures]:
    """One row per team in ``teams`` then the authority row (totals of those teams when
    a manager sees only their own)."""
    teams = list(teams)
    year = P.Period(P.add_months(on, -12) + timedelta(days=1), on, P.ROLLING_12, "now")
    computed = {code: getattr(kpis, code)([year])["now"] for code in RATES}
    target = current_authority().caseload_threshold
    rows = {t.pk: TeamFigures(t, target=target) for t in teams}
    total = TeamFigures(None, target=target)
    open_posts = Post.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on),
                                     valid_from__lte=on, team__in=teams)  # fmt: skip
    for team, budget in open_posts.values_list("team").annotate(s=Sum("budgeted_fte")):
        rows[team].establishment = budget
    contracts = Contract.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on),
                                        started_on__lte=on, post__team__in=teams)  # fmt: skip
    for team, fte in contracts.values_list("post__team").annotate(s=Sum("fte")):
        rows[team].in_post = fte
    holders = list(Worker.objects.filter(team__in=teams, left_on__isnull=True,
                                         role__in=CASE_HOLDING_ROLES))  # fmt: skip
    for load in worker_caseloads(holders):
        row = rows[load.worker.team_id]
        row.children += load.children
        row.case_holding_fte += load.worker.fte
    for row in rows.values():
        row.rates = {c: _rate(computed[c], ("team", row.team.pk)) for c in RATES}
        total.establishment += row.establishment
        total.in_post += row.in_post
        total.children += row.children
        total.case_holding_fte += row.case_holding_fte
    if len(teams) == Team.objects.filter(is_active=True).count():
        total.rates = {c: _rate(computed[c], AUTHORITY) for c in RATES}
    return [*rows.values(), total]


def establishment(team: Team, *, on: date):
    """The team's open posts with their current contracts and free FTE."""
    current = Contract.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on),
                                      started_on__lte=on).select_related("worker")  # fmt: skip
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
        Allocation.objects.current()
        .filter(Q(team=team) | Q(worker__team=team), ended_on__isnull=True)
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

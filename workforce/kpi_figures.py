"""The workforce page's team figures: establishment, FTE in post, caseloads, the capacity
model and the rates.

The rates come from the same functions as the KPIs (``workforce.kpis``), for a period
ending today, so page and KPI agree; caseloads come from the caseload board's rule
(``casework.selectors.caseload.worker_caseloads``). This reads KPI computations, so it
sits in the metrics layer beside them (docs/architecture.md), not in the selectors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from casework.models import Team, Worker
from casework.models.organisation import CASE_HOLDING_ROLES
from casework.selectors.caseload import current_authority, worker_caseloads
from metrics import periods as P
from workforce import kpis
from workforce.models import Contract, Post
from workforce.predicates import contract_in_post, post_open

AUTHORITY = ("authority", None)
RATES = ("vacancy_rate", "agency_rate", "turnover_rate_12m", "absence_rate",
         "newly_qualified_share", "span_of_control")  # fmt: skip


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
    open_posts = Post.objects.filter(post_open(on), team__in=teams)
    for team, budget in open_posts.values_list("team").annotate(s=Sum("budgeted_fte")):
        rows[team].establishment = budget
    contracts = Contract.objects.filter(contract_in_post(on), post__team__in=teams)
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

"""Caseloads: children per worker from open allocations, per FTE, and weighted.

What a caseload is (whose, which allocations) is ``casework.predicates.on_caseload``: the
worker's own, counted for the worker's team wherever the allocation's team is.

Weights come from the authority (``Authority.weight_*``), because managers today keep
weighted caseloads in spreadsheets (issue 6). A child counts the heaviest weight that
applies: court work, then CP plan, s47 enquiry, CIN plan, assessment; otherwise 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from casework.models import (
    Assessment,
    Authority,
    ChildProtectionPlan,
    CINPlan,
    Section47Enquiry,
    Team,
    Worker,
)
from casework.models.organisation import CASE_HOLDING_ROLES
from casework.predicates import caseload_allocations, on_caseload

DEFAULT_WEIGHT = Decimal("1.00")

# Who is away on a day (leave, sickness, training): absences are the workforce app's, which
# registers its lookup here from its AppConfig.ready, so casework never imports it. A lookup
# takes worker ids and the day and answers {worker id: last day of the absence}.
ABSENCE_LOOKUPS: list[Callable[[list[int], date], dict[int, date]]] = []


def register_absence_lookup(lookup: Callable[[list[int], date], dict[int, date]]) -> None:
    if lookup not in ABSENCE_LOOKUPS:
        ABSENCE_LOOKUPS.append(lookup)


def away_until(worker_ids: list[int], on: date) -> dict[int, date]:
    """{worker id: the last day of the absence covering ``on``} for those away that day."""
    away: dict[int, date] = {}
    for lookup in ABSENCE_LOOKUPS:
        for pk, until in lookup(worker_ids, on).items():
            away[pk] = max(until, away.get(pk, until))
    return away


def current_authority() -> Authority:
    """The authority row, or an unsaved one carrying the defaults (threshold 25)."""
    return Authority.objects.order_by("pk").first() or Authority()


@dataclass
class WorkerCaseload:
    worker: Worker
    threshold: int
    children: int = 0
    weighted: Decimal = Decimal("0")
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    away_until: date | None = None  # on leave today, back after this day

    @property
    def per_fte(self) -> Decimal:
        return (Decimal(self.children) / self.worker.fte).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def limit(self) -> int | None:
        return self.worker.caseload_limit

    @property
    def fte_threshold(self) -> Decimal:
        """The authority's threshold (children per full-time worker) scaled to this
        worker's FTE: 25 for a full-time worker is 12.5 for one working half time."""
        return (Decimal(self.threshold) * self.worker.fte).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def over_threshold(self) -> bool:
        return self.children > self.fte_threshold

    @property
    def capacity_order(self):
        """Most room first: those who can take a child, by children per FTE, then name;
        those on leave last, however much room they have."""
        return (
            self.away_until is not None,
            self.at_limit,
            self.over_threshold,
            self.per_fte,
            self.worker.full_name,
        )

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.children > self.limit

    @property
    def flagged(self) -> bool:
        return self.over_threshold or self.over_limit

    @property
    def at_limit(self) -> bool:
        """A newly qualified worker who cannot take one more child."""
        return self.limit is not None and self.children >= self.limit


def _weight_of(row: dict, authority: Authority) -> tuple[str, Decimal]:
    if row["court_work"]:
        return "court", authority.weight_court
    if row["cp"]:
        return "cp_plan", authority.weight_cp_plan
    if row["s47"]:
        return "s47", authority.weight_s47
    if row["cin"]:
        return "cin_plan", authority.weight_cin_plan
    if row["assessment"]:
        return "assessment", authority.weight_assessment
    return "other", DEFAULT_WEIGHT


def _allocation_rows(workers):
    def open_(model, **filters):
        return Exists(model.objects.current().filter(child=OuterRef("child"), **filters))

    return (
        caseload_allocations()
        .filter(worker__in=workers)
        .annotate(
            cp=open_(ChildProtectionPlan, status=ChildProtectionPlan.Status.ACTIVE),
            s47=open_(Section47Enquiry, ended_on__isnull=True),
            cin=open_(CINPlan, status=CINPlan.Status.ACTIVE),
            assessment=open_(Assessment, authorised_on__isnull=True),
        )
        .values("worker_id", "court_work", "cp", "s47", "cin", "assessment")
    )


def team_caseloads(
    *, team: Team, authority: Authority | None = None, on: date | None = None
) -> list[WorkerCaseload]:
    """One row per case-holding worker in ``team``: two queries (workers, allocations),
    and with ``on``, one per absence lookup for who is on leave that day."""
    workers = list(
        Worker.objects.filter(team=team, left_on__isnull=True, role__in=CASE_HOLDING_ROLES)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )
    loads = worker_caseloads(workers, authority=authority)
    if on is not None and workers:
        away = away_until([w.pk for w in workers], on)
        for load in loads:
            load.away_until = away.get(load.worker.pk)
    return loads


def worker_caseload(worker: Worker, *, authority: Authority | None = None) -> WorkerCaseload:
    """One worker's caseload, counted as the board counts it (the allocation guard)."""
    return worker_caseloads([worker], authority=authority)[0]


def worker_caseloads(
    workers: list[Worker], *, authority: Authority | None = None
) -> list[WorkerCaseload]:
    """Caseloads of ``workers`` in the order given: one query (their open allocations)."""
    authority = authority or current_authority()
    loads = {w.pk: WorkerCaseload(w, authority.caseload_threshold) for w in workers}
    for row in _allocation_rows(workers):
        load = loads[row["worker_id"]]
        kind, weight = _weight_of(row, authority)
        load.children += 1
        load.weighted += weight
        load.kinds[kind] += 1
    return list(loads.values())


def teams_overview(*, authority: Authority | None = None):
    """Every active team with its case-holders and the children on their caseloads (the
    team's workers' caseloads, as the board counts them, not the allocations naming the
    team)."""
    authority = authority or current_authority()
    # The board lists the team's current workers, so a leaver's allocations are not counted.
    held = on_caseload("workers__allocations__", worker="workers__") & Q(
        workers__left_on__isnull=True
    )
    return (
        Team.objects.filter(is_active=True)
        .annotate(
            children=Count("workers__allocations__child", filter=held, distinct=True),
            case_holders=Count(
                "workers",
                filter=Q(workers__role__in=CASE_HOLDING_ROLES, workers__left_on__isnull=True),
                distinct=True,
            ),
        )
        .order_by("name")
    )

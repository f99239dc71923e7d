"""The pathway's named predicates: what "open" means, written once, in the ORM and in SQL.

Every page, service, KPI and return asks these instead of spelling the filter out, so a
change of meaning happens in one place (issue 18).

- An allocation is **open** while it has no end date; one entered in error never counts.
- An allocation is **open on day D** when it started on or before D and had not ended by
  then: ``started_on <= D < ended_on`` (the day an allocation ends, the next one holds the
  case). The KPI stocks (caseloads, unallocated cases) use this.
- A KPI *flow* charges an event to an allocation by a different, deliberately looser rule
  (the latest allocation started by the event's date, even if ended, so an event in a gap
  between workers still counts for the team that last held the case):
  ``metrics.kpis.sql.allocation_at``. It answers "who answers for this event", not "who
  held the case that day".
- An **episode** (a referral) is **open** until it is closed; one entered in error never
  counts (``open_episodes``; the database allows one a child, ``one_open_episode_per_child``).
- A child is on a worker's **caseload** while an open allocation of an episode not entered
  in error holds them with that worker, and the worker holds cases
  (``CASE_HOLDING_ROLES``). The caseload is the worker's, so it counts for the worker's
  team wherever the allocation's team is: a manager answers for their own staff's load,
  and a worker covering a case of a neighbouring team still carries that child. The
  board, the allocation page, the head of service's overview, the caseload page, the
  workforce figures, the demo and the KPI stocks (``case_holding_sql``) all use this.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import Allocation
from casework.models.organisation import CASE_HOLDING_ROLES
from referrals.models import Referral, ScreeningDecision


def open_episodes() -> QuerySet[Referral]:
    """Episodes open now (not entered in error): at most one a child."""
    return Referral.objects.current().filter(status=Referral.Status.OPEN)


def episode_open_on(day) -> Q:
    """An episode (referral) open on ``day``: referred by then and not closed before it
    (the day it closes it no longer counts)."""
    return Q(referred_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def open_allocation(prefix: str = "") -> Q:
    """An open allocation, on a query reaching allocations through ``prefix``
    (``"allocations__"`` from a worker, team or child)."""
    return Q(**{f"{prefix}ended_on__isnull": True, f"{prefix}entered_in_error": False})


def open_allocations() -> QuerySet[Allocation]:
    """Allocations open now: who holds each case today."""
    return Allocation.objects.filter(open_allocation())


def allocation_open_on(day, prefix: str = "") -> Q:
    """An allocation open on ``day`` (``started_on <= day < ended_on``), for the ORM."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def allocation_worked_between(first, last, prefix: str = "") -> Q:
    """An allocation that worked the case at some time from ``first`` to ``last``: started
    by ``last`` and not ended before ``first`` (one ending on ``first`` is included: its
    worker handed over that day). Who could have been supervised on the case in a window,
    not who held it on a day (that is ``allocation_open_on``)."""
    return Q(**{f"{prefix}started_on__lte": last}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": first})
    )


def allocation_ended_since(day, prefix: str = "") -> Q:
    """An allocation (not entered in error) that ended on or after ``day``: who held a case
    closed since then."""
    return Q(**{f"{prefix}ended_on__gte": day, f"{prefix}entered_in_error": False})


def allocation_open_on_sql(alias: str, day: str) -> str:
    """SQL: the allocation row ``alias`` was open on the date expression ``day``."""
    return f"{alias}.started_on <= {day} AND ({alias}.ended_on IS NULL OR {alias}.ended_on > {day})"


def on_caseload(prefix: str = "", *, worker: str | None = None) -> Q:
    """An allocation that puts its child on its worker's caseload, on a query reaching
    allocations through ``prefix``; ``worker`` is the path to the allocation's worker
    (default: through the allocation; ``""`` when the query is on workers)."""
    worker = f"{prefix}worker__" if worker is None else worker
    return open_allocation(prefix) & Q(
        **{f"{prefix}referral__entered_in_error": False, f"{worker}role__in": CASE_HOLDING_ROLES}
    )


def caseload_allocations() -> QuerySet[Allocation]:
    """The allocations that make up caseloads today (one per child and worker)."""
    return Allocation.objects.filter(on_caseload())


def case_holding_sql(alias: str) -> tuple[str, list[str]]:
    """SQL: the worker row ``alias`` holds cases, with its parameters (stable order)."""
    roles = sorted(role.value for role in CASE_HOLDING_ROLES)
    return f"{alias}.role IN ({', '.join(['%s'] * len(roles))})", roles


# A contact about a child has **progressed** when it was screened to a referral or to early
# help (the ``contacts_by_source`` KPI; the early help page and the quarterly report's
# breakdown split it by source). Conversion to a referral alone is ``contact_conversion``.
PROGRESSED_DECISIONS = (ScreeningDecision.REFERRAL, ScreeningDecision.EARLY_HELP)


def contact_progressed(prefix: str = "") -> Q:
    """A child on a contact (``ContactChild``) screened to a referral or to early help."""
    return Q(**{f"{prefix}decision__in": PROGRESSED_DECISIONS})

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
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import Allocation


def open_allocation(prefix: str = "") -> Q:
    """An open allocation, on a query reaching allocations through ``prefix``
    (``"allocations__"`` from a worker, team or child)."""
    return Q(**{f"{prefix}ended_on__isnull": True, f"{prefix}entered_in_error": False})


def open_allocations() -> QuerySet[Allocation]:
    """Allocations open now: who holds each case today."""
    return Allocation.objects.filter(open_allocation())


def allocation_open_on_sql(alias: str, day: str) -> str:
    """SQL: the allocation row ``alias`` was open on the date expression ``day``."""
    return f"{alias}.started_on <= {day} AND ({alias}.ended_on IS NULL OR {alias}.ended_on > {day})"

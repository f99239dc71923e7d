"""The drill-down list a manager works from: which records are late, whose they are.

Narrows a drill-down's rows to the numerator or to those *not* in it (for a timeliness
KPI, the late ones), adds the allocated worker and team (the child's current
allocation, two subqueries: no query per row), the working days to the event from the
KPI's own clock start (``metrics.kpis.flows.Clock``: referral, strategy discussion,
assessment start) or, for other lists, from the episode's referral. The table
(``metrics.tables.drilldown``) orders by a chosen column in SQL and pages the result, so a
5,000-row denominator costs one page of rows.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Concat

from casework.calendar import CalendarRangeError, working_days_between
from casework.predicates import open_allocations

PER_PAGE = 100
SHOW = {"all": "All", "in": "In the numerator", "not_in": "Not in the numerator (late)"}
EXTRA_HEADER = ["worker", "team", "working days from referral"]


def extra_header(clock_label: str) -> list[str]:
    """The columns added to every list; the days count from the KPI's own clock."""
    days = f"working days from {clock_label}" if clock_label else "working days"
    return [*EXTRA_HEADER[:2], days]


def shown(request) -> str:
    value = request.GET.get("show", "all")
    return value if value in SHOW else "all"


def narrowed(rows, numerator_rows, show: str):
    """The denominator's rows in (or not in) the numerator; all of them otherwise."""
    if show == "all" or numerator_rows is None:
        return rows
    in_numerator = numerator_rows.values("pk")
    return rows.filter(pk__in=in_numerator) if show == "in" else rows.exclude(pk__in=in_numerator)


def with_holder(rows, child_field: str):
    """Each row with its child's allocated worker and team, and the episode's referral date
    when the row belongs to an episode (assessments, s47s, conferences...)."""
    child = OuterRef("pk") if child_field == "pk" else OuterRef(child_field)
    current = open_allocations().filter(child=child).order_by("-started_on", "-pk")
    name = Concat("worker__first_name", Value(" "), "worker__last_name")
    rows = rows.annotate(
        holder_name=Subquery(current.annotate(n=name).values("n")[:1]),
        holder_team=Subquery(current.values("team__name")[:1]),
    )
    clocked = "clock_from" in rows.query.annotations  # a flow KPI set its own clock
    if not clocked and any(f.name == "referral" for f in rows.model._meta.get_fields()):
        rows = rows.annotate(clock_from=F("referral__referred_on"))
    return rows


def working_days(record):
    """Working days from the row's clock start to its event ("" when either is missing)."""
    start, end = getattr(record, "clock_from", None), getattr(record, "event_on", None)
    if not (start and end):
        return ""
    try:
        return working_days_between(start, end)
    except CalendarRangeError:
        return ""

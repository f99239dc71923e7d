"""The quarterly report's further breakdowns (issue 23): contacts by source and outcome,
working-day distributions, repeat plans by time since the last plan and children on a
plan by the category in force at each quarter end.

Each is one GROUP BY query over the rows a KPI counts (its ``Flow`` queryset), so a
breakdown's total equals that KPI's denominator for the same period.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.codes import AbuseCategory
from casework.models import ChildProtectionPlan
from casework.predicates import contact_progressed
from metrics.kpis import flows
from metrics.kpis.sql import AddMonths
from metrics.report_selectors import by_source, percent
from referrals.models import ScreeningDecision

# Working days taken, in the bands the seeds report (seed 000 "distribution of working
# days"; seed 004's within-timescale, a little over and well over).
ASSESSMENT_BANDS = ((10, "0-10"), (20, "11-20"), (30, "21-30"), (45, "31-45"),
                    (60, "46-60"))  # fmt: skip
ASSESSMENT_OVER = "61 or more"
ICPC_BANDS = ((10, "0-10"), (15, "11-15"), (20, "16-20"), (30, "21-30"))
ICPC_OVER = "31 or more"
NOT_RECORDED = "Not on the working-day calendar"
REPEAT_BANDS = ((6, "Within 6 months"), (12, "6 to 12 months"), (24, "12 months to 2 years"),
                (60, "2 to 5 years"))  # fmt: skip
REPEAT_OVER, FIRST_PLAN, EARLIER_OPEN = "5 years or more", "First plan", "Earlier plan not ended"


def _band(field: str, bands, over: str) -> Case:
    whens = [When(**{f"{field}__isnull": True}, then=Value(NOT_RECORDED))]
    whens += [When(**{f"{field}__lte": top}, then=Value(label)) for top, label in bands]
    return Case(*whens, default=Value(over), output_field=CharField())


def _distribution(qs, bands, over: str) -> list[dict]:
    counts = dict(
        qs.annotate(band=_band("taken", bands, over))
        .values("band")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("band", "n")
    )
    total = sum(counts.values())
    labels = [label for _, label in bands] + [over] + ([NOT_RECORDED] if NOT_RECORDED in counts
                                                     else [])  # fmt: skip
    return [{"band": label, "count": counts.get(label, 0), "share": percent(
        counts.get(label, 0), total)} for label in labels]  # fmt: skip


def assessment_days(start: date, end: date) -> list[dict]:
    """Assessments authorised in the period by working days from the referral."""
    return _distribution(flows.assessments_45wd_from_referral(start, end).qs, ASSESSMENT_BANDS,
                         ASSESSMENT_OVER)  # fmt: skip


def icpc_days(start: date, end: date) -> list[dict]:
    """Initial conferences in the period by working days from the strategy discussion."""
    return _distribution(flows.icpc_15wd(start, end).qs, ICPC_BANDS, ICPC_OVER)


def contacts_by_source(start: date, end: date) -> list[dict]:
    """Children on contacts received in the period by source, and % progressed: the rows
    of the ``contacts_by_source`` KPI, whose numerator is the one meaning of "progressed"
    (screened to a referral or to early help; the early help page splits the same)."""
    progressed = flows.Flow(flows._contacts(start, end), "received_on", contact_progressed())
    return [
        {**row, "children": row["count"], "progressed": row["num"],
         "progressed_percent": row["num_percent"]}
        for row in by_source(progressed, "contact__source")
    ]  # fmt: skip


def contact_outcomes(start: date, end: date) -> list[dict]:
    """Children on contacts received in the period by screening decision."""
    counts = dict(
        flows.contact_conversion(start, end)
        .qs.values("decision")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("decision", "n")
    )
    total = sum(counts.values())
    choices = [*ScreeningDecision.choices, ("", "Awaiting decision")]
    return [{"code": code or "-", "label": label, "children": counts.get(code, 0),
             "share": percent(counts.get(code, 0), total)} for code, label in choices]  # fmt: skip


def repeat_plans_by_time_since_last(start: date, end: date) -> list[dict]:
    """Plans started in the period by time since the child's previous plan ended
    (the rows of ``cp_repeat_plans``)."""
    previous = flows._earlier_plans().values("child").annotate(last=Max("ended_on")).values("last")
    qs = flows._plans_started(start, end).annotate(
        repeat=Exists(flows._earlier_plans()), previous_end=Subquery(previous[:1])
    )
    whens = [
        When(repeat=False, then=Value(FIRST_PLAN)),
        When(previous_end__isnull=True, then=Value(EARLIER_OPEN)),
    ]
    whens += [When(Q(previous_end__gte=AddMonths(F("started_on"), -months)),
                   then=Value(label)) for months, label in REPEAT_BANDS]  # fmt: skip
    band = Case(*whens, default=Value(REPEAT_OVER), output_field=CharField())
    counts = dict(qs.annotate(band=band).values("band").annotate(n=Count("pk")).order_by()
                  .values_list("band", "n"))  # fmt: skip
    total = sum(counts.values())
    labels = [FIRST_PLAN, *(label for _, label in REPEAT_BANDS), REPEAT_OVER]
    labels += [EARLIER_OPEN] if EARLIER_OPEN in counts else []
    return [{"band": label, "count": counts.get(label, 0),
             "share": percent(counts.get(label, 0), total)} for label in labels]  # fmt: skip


def category_in_force(at: date) -> Coalesce:
    """A plan's category of abuse in force at the end of ``at``: its latest category as
    its history (django-simple-history) recorded it by then, so a category changed at a
    later review is not counted back. A plan with no history row by then (entered later,
    or imported) falls back to its current category."""
    cutoff = timezone.make_aware(datetime.combine(at + timedelta(days=1), time.min))
    recorded = (
        ChildProtectionPlan.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("latest_category")[:1]
    )
    return Coalesce(Subquery(recorded), F("latest_category"), output_field=CharField())


def children_on_plans_by_category(at: date) -> list[dict]:
    """Children on a plan at ``at`` by the plan's category in force at ``at`` (seeds 000,
    004: a stock, not plans started by initial category). One query."""
    counts = dict(
        ChildProtectionPlan.objects.filter(
            entered_in_error=False, referral__entered_in_error=False, started_on__lte=at
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=at))
        .annotate(category=category_in_force(at))
        .values("category")
        .annotate(n=Count("child", distinct=True))
        .order_by()
        .values_list("category", "n")
    )
    total = sum(counts.values())
    return [{"code": code, "label": label, "children": counts.get(code, 0),
             "share": percent(counts.get(code, 0), total)}
            for code, label in AbuseCategory.choices]  # fmt: skip

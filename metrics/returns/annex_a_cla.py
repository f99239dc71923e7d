"""Ofsted Annex A list 8 (children in care), as at the as-of date.

Columns follow the LIIA ``liia-tools`` schema of Ofsted's template (care.md section 6; header
wording unconfirmed against the current template). The list holds every period of care open
at the as-of date or ended in the six months up to it. Every value is as at the as-of date:
episodes, placements, reviews, visits, health checks and missing episodes after it are left
out, and an end or reason ceased recorded after it is blank. The worker is the episode's
allocation as at the as-of date (as lists 3-7); a period entered directly, with no
referral, falls back to the period's worker. Caseflow records no IRO contacts, permanence
plans (other than adoption) or the authority's boundary, so those columns are blank and the
notes sheet says so. A fixed number of queries, however many children.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q

from care import codes as care_codes
from care.models import (
    AdoptionPlan,
    CareEpisode,
    CarePeriod,
    CareReview,
    CareVisit,
    HealthCheck,
    MissingEpisode,
    Placement,
)
from metrics.returns.annex_a import (
    CHILD_HEADERS,
    DISABILITY_HEADER,
    Window,
    _allocated,
    child_columns,
    yes_no,
)
from metrics.returns.annex_a_codes import disability

LIST_8 = "List 8 Children in Care"
LIST_8_HEADERS = CHILD_HEADERS + [
    "UASC", DISABILITY_HEADER, "Date Started to be Looked After", "Child's Category of Need",
    "Subject to Second or Subsequent Period of Being Looked After Within Last 12 Months",
    "Legal Status", "Date Legal Status Started", "Date of Latest Statutory Review",
    "Date of Last Social Work Visit", "Permanence Plan", "Date of Last IRO Visit / Contact",
    "Date of Last Health Assessment", "Date of Last Dental Check",
    "Number of Placements in Last 12 Months", "Date Ceased to be Looked After",
    "Reason Ceased to be Looked After", "Date of Latest Placement", "Type of Latest Placement",
    "Placement Provider", "Placement Postcode", "Placement URN",
    "Placement Inside or Outside of the LA Boundary", "Placement Location (LA)",
    "Number of Missing Episodes in Last 12 Months",
    "Number of Absence Episodes in Last 12 Months",
    "Offered a Return Interview after Last Missing Episode",
    "Accepted a Return Interview after Last Missing Episode", "Allocated Team",
    "Allocated Worker",
]  # fmt: skip
LIST_8_NOTES = [
    "List 8: IRO visits or contacts, permanence plans other than adoption and the "
    "authority's boundary are not recorded in Caseflow; those columns are blank (Permanence "
    "Plan reads Adoption while a decision to place for adoption stands at the as-of date).",
]
HEALTH_ASSESSMENTS = {care_codes.HealthCheckKind.INITIAL, care_codes.HealthCheckKind.REVIEW}


def children_in_care(w: Window):
    """Periods open at the as-of date or ended in the six months up to it."""
    by = w.as_of

    def known(model, field):
        return model.objects.current().filter(**{f"{field}__lte": by}).order_by(f"-{field}", "-pk")

    open_or_recent = w.open_at_as_of("started_on", "ended_on") | Q(
        started_on__lte=by, ended_on__range=(w.start, by)
    )
    return (
        CarePeriod.objects.current()
        .filter(open_or_recent)
        .annotate(**_allocated(w))
        .select_related("child", "worker__team")
        .prefetch_related(
            Prefetch("episodes", queryset=known(CareEpisode, "started_on"), to_attr="eps"),
            Prefetch(
                "placements",
                queryset=known(Placement, "started_on").filter(superseded=False),
                to_attr="places",
            ),
            Prefetch("reviews", queryset=known(CareReview, "held_on"), to_attr="held"),
            Prefetch("visits", queryset=known(CareVisit, "visited_on"), to_attr="seen"),
            Prefetch("health_checks", queryset=known(HealthCheck, "done_on"), to_attr="checks"),
            Prefetch(
                "missing_episodes", queryset=known(MissingEpisode, "started_on"), to_attr="gone"
            ),
            Prefetch("adoption_plans", queryset=known(AdoptionPlan, "decided_on"), to_attr="adopt"),
            Prefetch(
                "child__care_periods",
                queryset=CarePeriod.objects.current().filter(started_on__lte=by),
                to_attr="periods",
            ),
        )
        .order_by("child__la_child_id", "started_on")
    )


def _legal_status_since(episodes) -> object:
    """The start of the unbroken run of episodes with the latest legal status."""
    since = episodes[0].started_on
    for ep in episodes[1:]:
        if ep.legal_status != episodes[0].legal_status:
            break
        since = ep.started_on
    return since


def _permanence(period, w: Window) -> str:
    standing = [p for p in period.adopt if w.known(p.reversed_on) is None]
    return "Adoption" if standing else ""


def _last(records, predicate=lambda r: True):
    return next((r for r in records if predicate(r)), None)


def child_in_care_row(period, w: Window) -> list:
    child = period.child
    since = w.as_of - relativedelta(months=12)
    ended_on = w.known(period.ended_on)
    episode = period.eps[0] if period.eps else None
    place = period.places[0] if period.places else None
    health = _last(period.checks, lambda c: c.kind in HEALTH_ASSESSMENTS)
    dental = _last(period.checks, lambda c: c.kind == care_codes.HealthCheckKind.DENTAL)
    recent_missing = [m for m in period.gone if m.started_on > since]
    last_missing = _last(period.gone, lambda m: m.kind == care_codes.MissingKind.M)
    uasc = period.uasc and (period.uasc_ceased_on is None or period.uasc_ceased_on > since)
    earlier = [p for p in child.periods if p.started_on < period.started_on]
    placements_12m = [p for p in period.places if p.ended_on is None or p.ended_on > since]
    worker = period.worker
    return child_columns(child, w) + [
        yes_no(uasc),
        disability(child.disabilities),
        period.started_on,
        episode.get_category_of_need_display() if episode else "",
        yes_no(period.started_on > since and bool(earlier)),
        episode.get_legal_status_display() if episode else "",
        _legal_status_since(period.eps) if episode else None,
        period.held[0].held_on if period.held else None,
        period.seen[0].visited_on if period.seen else None,
        _permanence(period, w),
        None,
        health.done_on if health else None,
        dental.done_on if dental else None,
        len(placements_12m),
        ended_on,
        period.get_reason_ceased_display() if ended_on and period.reason_ceased else "",
        place.started_on if place else None,
        place.get_place_display() if place else "",
        place.get_provider_display() if place else "",
        place.postcode if place else "",
        place.urn if place else "",
        "",
        "",
        sum(1 for m in recent_missing if m.kind == care_codes.MissingKind.M),
        sum(1 for m in recent_missing if m.kind == care_codes.MissingKind.A),
        yes_no(last_missing.return_interview_offered) if last_missing else "",
        yes_no(w.known(last_missing.return_interview_on) is not None) if last_missing else "",
        period.team_name or (worker.team.name if worker and not period.referral_id else ""),
        period.worker_name or (str(worker) if worker and not period.referral_id else ""),
    ]


def lists(w: Window):
    """(title, headers, rows) for the Annex A workbook."""
    yield LIST_8, LIST_8_HEADERS, (child_in_care_row(p, w) for p in children_in_care(w))

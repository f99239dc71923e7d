"""Reads for the care pages: the child record's care section in seven queries."""

from __future__ import annotations

from django.utils import timezone

from care.models import (
    AdoptionPlan,
    CareEpisode,
    CareLeaver,
    CarePeriod,
    MissingEpisode,
    Placement,
)
from casework.models import Deadline
from casework.transitions import available


def _due(label: str, due_on, today) -> dict | None:
    if due_on is None:
        return None
    status = Deadline.status(due_on=due_on, done_on=None, today=today)
    return {"label": label, "due_on": due_on, "status": status,
            "status_label": Deadline.LABELS[status]}  # fmt: skip


def care_section(child) -> dict:
    """Latest period of care, its current episode, placement history, steps due, missing."""
    today = timezone.localdate()
    period = (
        CarePeriod.objects.current()
        .filter(child=child)
        .select_related("worker")
        .order_by("-started_on")
        .first()
    )
    if period is None:
        return {"period": None}
    episode = (
        CareEpisode.objects.current()
        .filter(period=period)
        .select_related("placement")
        .order_by("-started_on", "-pk")
        .first()
    )
    placements = list(
        Placement.objects.current()
        .filter(child=child, superseded=False)
        .order_by("-started_on", "-pk")
    )
    missing = list(
        MissingEpisode.objects.current().filter(period=period).order_by("-started_on")[:5]
    )
    # Asked of the state machine: the period can still cease, so it is current.
    looked_after = "cease" in available(period)
    due = [
        _due("Looked-after review", period.next_review_due_on, today),
        _due("Statutory visit", period.next_visit_due_on, today),
        _due("Health assessment", period.next_health_due_on, today),
        _due("Personal education plan", period.next_pep_due_on, today),
    ]
    leaver = CareLeaver.objects.current().filter(child=child).first()
    adoption = (
        AdoptionPlan.objects.current()
        .select_related("adopters")
        .filter(child=child)
        .order_by("-decided_on")
        .first()
    )
    if leaver is not None:
        due.append(_due("Pathway plan review", leaver.next_pathway_review_due_on, today))
    return {
        "period": period,
        "looked_after": looked_after,
        "episode": episode,
        "placements": placements,
        "due": [d for d in due if d],
        "missing": missing,
        "leaver": leaver,
        # Leaving-care duties start at 16 (care.leavers.eligibility says which, on the page).
        "may_become_leaver": leaver is None and (child.age_on(today) or 0) >= 16,
        "leaver_contact": leaver and leaver.contacts.current().order_by("-contacted_on").first(),
        "adoption": adoption,
        # A new decision only once the latest plan has no step left (adopted or reversed):
        # care.adoption.adoption_decide refuses one while a plan is open.
        "may_decide_adoption": adoption is None or not available(adoption),
    }


def periods_due(*, user, team=None):
    """Looked-after children the user may see (a team's, for a team manager), soonest due
    step first: one query for the rows, whatever their number."""
    from django.db.models.functions import Least

    from accounts.permissions import visible_to

    periods = (
        visible_to(user, CarePeriod.objects.current())
        .filter(status=CarePeriod.Status.LOOKED_AFTER)
        .select_related("child", "worker")
        .annotate(
            first_due=Least(
                "next_review_due_on", "next_visit_due_on", "next_health_due_on", "next_pep_due_on"
            )
        )  # fmt: skip
    )
    if team is not None:
        periods = periods.filter(worker__team=team)
    return periods.order_by("first_due", "pk")


def due_rows(periods, today) -> list[dict]:
    return [
        {"period": p, "steps": [
            _due("Review", p.next_review_due_on, today), _due("Visit", p.next_visit_due_on, today),
            _due("Health", p.next_health_due_on, today), _due("PEP", p.next_pep_due_on, today),
        ]}
        for p in periods
    ]  # fmt: skip

"""The child record: identity, alerts, current episode and a chronology across episodes.

The chronology costs one query per event table (at most twelve), merged in Python, so
a child with ten events and a child with a thousand cost the same number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.models import (
    Allocation,
    Assessment,
    CaseNote,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceKind,
    ConferenceOutcome,
    CoreGroup,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from casework.predicates import open_allocations, open_episodes
from casework.selectors import children_visible_to
from referrals.models import ContactChild, Referral


def with_case_flags(children: QuerySet[Child]) -> QuerySet[Child]:
    """Annotate each child with what is open now: CP plan, s47, CIN plan, assessment."""

    def open_(model, **filters):
        return Exists(model.objects.current().filter(child=OuterRef("pk"), **filters))

    return children.annotate(
        on_cp_plan=open_(ChildProtectionPlan, status=ChildProtectionPlan.Status.ACTIVE),
        s47_open=open_(Section47Enquiry, ended_on__isnull=True),
        on_cin_plan=open_(CINPlan, status=CINPlan.Status.ACTIVE),
        assessment_open=open_(
            Assessment,
            status__in=[
                Assessment.Status.IN_PROGRESS,
                Assessment.Status.COMPLETED,
                Assessment.Status.SUBMITTED,
                Assessment.Status.RETURNED,
            ],
        ),
        episode_open=Exists(open_episodes().filter(child=OuterRef("pk"))),
    )


def case_status(child: Child) -> str:
    """Where the child is on the pathway, from the flags of ``with_case_flags``."""
    if child.on_cp_plan:
        return "Child protection plan"
    if child.s47_open:
        return "Section 47 enquiry"
    if child.on_cin_plan:
        return "Child in need plan"
    if child.assessment_open:
        return "Assessment in progress"
    if child.episode_open:
        return "Open episode"
    return "No open episode"


def current_episode(child: Child) -> Referral | None:
    return open_episodes().filter(child=child).first()


def current_allocation(child: Child) -> Allocation | None:
    return open_allocations().filter(child=child).select_related("worker", "team").first()


@dataclass(frozen=True)
class Event:
    on: date
    type: str
    title: str
    detail: str = ""


EVENT_TYPES = [
    ("contact", "Contacts"),
    ("referral", "Referrals and closures"),
    ("allocation", "Allocations"),
    ("assessment", "Assessments"),
    ("strategy", "Strategy discussions"),
    ("s47", "Section 47 enquiries"),
    ("conference", "Conferences"),
    ("cp_plan", "Child protection plans"),
    ("cin_plan", "Child in need plans"),
    ("core_group", "Core groups"),
    ("visit", "Visits"),
    ("case_note", "Case notes"),
]

NOTE_PREVIEW = 300


def _preview(text: str) -> str:
    """Narrative on the chronology: the first part of long text (the record holds it all)."""
    text = " ".join((text or "").split())
    return text if len(text) <= NOTE_PREVIEW else text[: NOTE_PREVIEW - 1] + "…"


def _joined(*parts: str) -> str:
    return ": ".join(p for p in parts if p)


def _contacts(child):
    for cc in ContactChild.objects.filter(
        child=child, contact__entered_in_error=False
    ).select_related("contact"):
        c = cc.contact
        yield Event(
            timezone.localdate(c.received_at),
            "contact",
            "Contact received",
            _joined(c.get_source_display(), _preview(c.reason)),
        )
        if c.decided_at and cc.decision:
            yield Event(
                timezone.localdate(c.decided_at),
                "contact",
                "Screening decision",
                cc.get_decision_display(),
            )


def _referrals(child):
    for r in Referral.objects.current().filter(child=child):
        yield Event(r.referred_on, "referral", "Referral", r.get_source_display())
        if r.closed_on:
            yield Event(r.closed_on, "referral", "Episode closed", r.get_closure_reason_display())


def _allocations(child):
    for a in Allocation.objects.current().filter(child=child).select_related("worker", "team"):
        yield Event(a.started_on, "allocation", f"Allocated to {a.worker}", f"{a.team}")
        if a.ended_on:
            yield Event(a.ended_on, "allocation", f"Allocation to {a.worker} ended", a.end_reason)


def _assessments(child):
    for a in Assessment.objects.current().filter(child=child):
        yield Event(a.started_on, "assessment", "Assessment started")
        if a.child_seen_on:
            yield Event(a.child_seen_on, "assessment", "Child seen for assessment")
        if a.completed_on:
            yield Event(a.completed_on, "assessment", "Assessment completed by worker")
        if a.returned_on:
            yield Event(a.returned_on, "assessment", "Assessment returned", a.return_reason)
        if a.authorised_on:
            yield Event(
                a.authorised_on,
                "assessment",
                "Assessment authorised",
                _joined(a.get_outcome_display(), _preview(a.summary)),
            )


def _strategy(child):
    for s in StrategyDiscussion.objects.current().filter(child=child):
        detail = "Section 47 enquiry to start" if s.s47_required else "No section 47 enquiry"
        yield Event(s.held_on, "strategy", "Strategy discussion", detail)


def _s47s(child):
    for s in Section47Enquiry.objects.current().filter(child=child):
        yield Event(s.started_on, "s47", "Section 47 enquiry started")
        if s.ended_on:
            yield Event(s.ended_on, "s47", "Section 47 enquiry ended", s.get_outcome_display())


def _conferences(child):
    for c in ChildProtectionConference.objects.current().filter(child=child, held_on__isnull=False):
        yield Event(c.held_on, "conference", c.get_kind_display(), c.get_outcome_display())


def _cp_plans(child):
    for p in ChildProtectionPlan.objects.current().filter(child=child):
        yield Event(
            p.started_on,
            "cp_plan",
            "Child protection plan started",
            p.get_initial_category_display(),
        )
        if p.ended_on:
            yield Event(p.ended_on, "cp_plan", "Child protection plan ended", p.end_reason)


def _cin_plans(child):
    for p in CINPlan.objects.current().filter(child=child):
        yield Event(p.started_on, "cin_plan", "Child in need plan started")
        if p.ended_on:
            yield Event(p.ended_on, "cin_plan", "Child in need plan ended")


def _core_groups(child):
    for g in CoreGroup.objects.current().filter(plan__child=child):
        yield Event(g.held_on, "core_group", "Core group meeting")


def _seen(child_seen: bool | None, seen_alone: bool | None) -> str:
    if child_seen is None:
        return ""
    if not child_seen:
        return "Child not seen"
    return "Child seen alone" if seen_alone else "Child seen"


def _visits(child):
    for v in Visit.objects.current().filter(child=child):
        detail = _joined(_seen(v.child_seen, v.seen_alone), _preview(v.notes))
        yield Event(v.visited_on, "visit", v.get_kind_display(), detail)


def _case_notes(child):
    for n in CaseNote.objects.current().filter(child=child):
        detail = _joined(_seen(n.child_seen, n.seen_alone), _preview(n.text))
        yield Event(n.occurred_on, "case_note", n.get_kind_display(), detail)


_SOURCES = {
    "contact": _contacts,
    "referral": _referrals,
    "allocation": _allocations,
    "assessment": _assessments,
    "strategy": _strategy,
    "s47": _s47s,
    "conference": _conferences,
    "cp_plan": _cp_plans,
    "cin_plan": _cin_plans,
    "core_group": _core_groups,
    "visit": _visits,
    "case_note": _case_notes,
}


def chronology(child: Child, *, types: list[str] | None = None) -> list[Event]:
    """Every event for ``child`` across all episodes, newest first; one query per type."""
    events: list[Event] = []
    for type_, source in _SOURCES.items():
        if not types or type_ in types:
            events.extend(source(child))
    order = list(_SOURCES)
    # Same day: later pathway steps first, so the newest-first reading stays natural.
    events.sort(key=lambda e: (e.on, order.index(e.type)), reverse=True)
    return events


def household_open_episodes(child: Child, *, user) -> list[Referral]:
    """The open episodes of ``child``'s household siblings that ``user`` may see (1 query)."""
    if child.household_id is None:
        return []
    return list(
        open_episodes()
        .filter(
            child__household_id=child.household_id,
            child__in=children_visible_to(user),
        )
        .exclude(child=child)
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "pk")
    )


@dataclass(frozen=True)
class PathwaySteps:
    """The child protection records on an episode that have a next step (3 queries)."""

    s47s: list[Section47Enquiry]
    conferences: list[ChildProtectionConference]
    plans: list[ChildProtectionPlan]


def pathway_steps(episode: Referral) -> PathwaySteps:
    s47s = (
        Section47Enquiry.objects.current()
        .filter(referral=episode)
        .exclude(status=Section47Enquiry.Status.COMPLETED)
        .order_by("-started_on", "-pk")
    )
    held_plan_not_started = Q(
        status=ChildProtectionConference.Status.HELD,
        outcome=ConferenceOutcome.PLAN,
        resulting_plan__isnull=True,
    )
    conferences = (
        ChildProtectionConference.objects.current()
        .filter(referral=episode, kind=ConferenceKind.INITIAL, s47__isnull=False)
        .filter(Q(status=ChildProtectionConference.Status.SCHEDULED) | held_plan_not_started)
        .order_by("-due_on", "-pk")
    )
    plans = (
        ChildProtectionPlan.objects.current()
        .filter(referral=episode, status=ChildProtectionPlan.Status.ACTIVE)
        .order_by("-started_on", "-pk")
    )
    return PathwaySteps(list(s47s), list(conferences), list(plans))

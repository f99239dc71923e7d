"""Small builders for KPI fixtures: model rows made directly, consistent with each other.

The KPI engine reads stored facts, so fixtures write the rows a KPI reads (the child,
episode, allocation and event agree) without going through the domain services.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from casework import timescales
from casework.models import (
    Allocation,
    Assessment,
    Authority,
    Child,
    ChildPopulation,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Visit,
    VisitKind,
    Worker,
    WorkerRole,
)
from casework.scope import restamp_scope
from casework.transitions import ASSESSMENT_AUTHORISED, S47_SIGNED_OFF, status_after
from referrals.models import Contact, ContactChild, Referral, ScreeningDecision

LONDON = ZoneInfo("Europe/London")
_seq = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def authority(*, population: dict[int, int] | None = None, visit_standard: int = 10):
    la = Authority.objects.create(
        la_code="999", name="Test Borough", cp_visit_standard_working_days=visit_standard
    )
    for year, count in (population or {}).items():
        ChildPopulation.objects.create(authority=la, year=year, population=count)
    return la


def team(name: str | None = None) -> Team:
    return Team.objects.create(name=name or f"Team {next(_seq)}", service_area="assessment")


def worker(team_: Team | None = None, *, role=WorkerRole.SOCIAL_WORKER, fte="1.00", **kw):
    n = next(_seq)
    return Worker.objects.create(
        staff_id=f"W{n:05d}",
        first_name="Worker",
        last_name=str(n),
        team=team_ or team(),
        role=role,
        fte=Decimal(fte),
        started_on=kw.pop("started_on", date(2015, 1, 1)),
        **kw,
    )


def child(**kw) -> Child:
    n = next(_seq)
    kw.setdefault("date_of_birth", date(2015, 6, 1))
    return Child.objects.create(
        la_child_id=f"C{n:06d}", first_name="Child", last_name=str(n), sex="F", **kw
    )


def contact(received: datetime, children: list[Child], *, decided: datetime | None = None,
            decision=ScreeningDecision.NFA, **kw) -> Contact:  # fmt: skip
    c = Contact.objects.create(
        received_at=received,
        source=kw.pop("source", "2A"),
        reason="Concern",
        screening_due_on=timescales.screening_due_on(received, timescales.screening_standard()),
        decided_at=decided,
        status=status_after(Contact, *(["decide"] if decided else [])),
        **kw,
    )
    for ch in children:
        ContactChild.objects.create(contact=c, child=ch, decision=decision if decided else "")
    return c


def referral(child_: Child, referred_on: date, *, closed_on: date | None = None, **kw):
    closed = {}
    if closed_on:
        closed = {"status": status_after(Referral, "close"), "closed_on": closed_on,
                  "closure_reason": "RC8"}  # fmt: skip
    return Referral.objects.create(
        child=child_, referred_on=referred_on, source=kw.pop("source", "2A"), **closed, **kw
    )


def allocate(ref: Referral, worker_: Worker, started_on: date, ended_on: date | None = None):
    return Allocation.objects.create(
        child=ref.child,
        referral=ref,
        worker=worker_,
        team=worker_.team,
        started_on=started_on,
        ended_on=ended_on,
        reason="new",
    )


def assessment(ref: Referral, started_on: date, *, authorised_on: date | None = None, **kw):
    return Assessment.objects.create(
        child=ref.child,
        referral=ref,
        started_on=started_on,
        due_on=timescales.assessment_due_on(ref.referred_on),
        dfe_due_on=timescales.assessment_dfe_due_on(started_on),
        authorised_on=authorised_on,
        status=status_after(Assessment, *(ASSESSMENT_AUTHORISED if authorised_on else ())),
        **kw,
    )


def s47(ref: Referral, started_on: date, *, ended_on: date | None = None, outcome="", **kw):
    discussion = StrategyDiscussion.objects.create(
        child=ref.child, referral=ref, held_on=started_on, s47_required=True
    )
    return Section47Enquiry.objects.create(
        child=ref.child,
        referral=ref,
        strategy_discussion=discussion,
        started_on=started_on,
        icpc_due_on=timescales.icpc_due_on(started_on),
        ended_on=ended_on,
        outcome=outcome,
        status=status_after(Section47Enquiry, *(S47_SIGNED_OFF if ended_on else ())),
        **kw,
    )


def icpc(enquiry: Section47Enquiry | None, held_on: date, *, ref: Referral | None = None, **kw):
    ref = ref or enquiry.referral
    return ChildProtectionConference.objects.create(
        child=ref.child,
        referral=ref,
        kind=ConferenceKind.INITIAL,
        s47=enquiry,
        due_on=timescales.icpc_due_on(enquiry.started_on) if enquiry else held_on,
        held_on=held_on,
        status=status_after(ChildProtectionConference, "hold"),
        **kw,
    )


def plan(conference: ChildProtectionConference, *, ended_on: date | None = None, **kw):
    return ChildProtectionPlan.objects.create(
        child=conference.child,
        referral=conference.referral,
        icpc=conference,
        started_on=kw.pop("started_on", conference.held_on),
        ended_on=ended_on,
        status=status_after(ChildProtectionPlan, *(["end"] if ended_on else [])),
        initial_category="NEG",
        latest_category="NEG",
        first_core_group_due_on=timescales.first_core_group_due_on(conference.held_on),
        **kw,
    )


def cp_plan(child_: Child, started_on: date, *, ended_on: date | None = None, ref=None, **kw):
    """A plan with the referral, enquiry and ICPC that lead to it."""
    ref = ref or referral(child_, started_on, closed_on=ended_on)
    enquiry = s47(ref, started_on, ended_on=started_on, outcome="icpc")
    return plan(icpc(enquiry, started_on), ended_on=ended_on, **kw)


def review(p: ChildProtectionPlan, *, due_on: date, held_on: date, **kw):
    return ChildProtectionConference.objects.create(
        child=p.child,
        referral=p.referral,
        kind=ConferenceKind.REVIEW,
        plan=p,
        due_on=due_on,
        held_on=held_on,
        status=status_after(ChildProtectionConference, "hold"),
        **kw,
    )


def visit(p: ChildProtectionPlan, visited_on: date, *, child_seen=True, **kw):
    return Visit.objects.create(
        child=p.child,
        referral=p.referral,
        cp_plan=p,
        kind=VisitKind.CP,
        visited_on=visited_on,
        child_seen=child_seen,
        **kw,
    )


def in_error(obj):
    """Mark a record entered in error (the way the domain services will)."""
    type(obj).objects.filter(pk=obj.pk).update(entered_in_error=True)
    obj.refresh_from_db()
    if isinstance(obj, Allocation):
        restamp_scope([obj.referral_id])  # written around save: re-stamp as it would
    return obj

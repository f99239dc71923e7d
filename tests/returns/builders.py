"""Small builders for census test data: model rows created directly, consistent with each other.

Until the domain services land on main these write rows straight to the models; each builder
fills the fields the census needs and derives deadlines with the working-day calendar.
"""

from __future__ import annotations

import itertools
from datetime import date

from casework import timescales
from casework.models import (
    Assessment,
    Authority,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceKind,
    ConferenceOutcome,
    S47Outcome,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Worker,
    WorkerRole,
)
from casework.transitions import ASSESSMENT_AUTHORISED, S47_SIGNED_OFF, status_after
from referrals.models import Contact, ContactChild, Referral, ScreeningDecision

_seq = itertools.count(1)


def authority(la_code: str = "999") -> Authority:
    return Authority.objects.get_or_create(la_code=la_code, defaults={"name": "Test Borough"})[0]


def child(**kw) -> Child:
    n = next(_seq)
    fields = {
        "la_child_id": f"C{n:05d}",
        "first_name": "Sam",
        "last_name": f"Child{n}",
        "date_of_birth": date(2015, 6, 1),
        "sex": "F",
        "ethnicity": "WBRI",
        "disabilities": ["NONE"],
        "upn_unknown_reason": "UN1",
    }
    fields.update(kw)
    return Child.objects.create(**fields)


def referral(child: Child, on: date, **kw) -> Referral:
    fields = {
        "referred_on": on,
        "source": "2A",
        "primary_need": "N1",
        "assessment_due_on": timescales.assessment_due_on(on),
    }
    fields.update(kw)
    if fields.get("closed_on"):
        fields.setdefault("closure_reason", "RC7")
        fields["status"] = status_after(Referral, "close")
    return Referral.objects.create(child=child, **fields)


def assessment(ref: Referral, start: date, authorised: date | None = None, **kw) -> Assessment:
    fields = {
        "started_on": start,
        "due_on": timescales.assessment_due_on(ref.referred_on),
        "dfe_due_on": timescales.assessment_dfe_due_on(start),
        "authorised_on": authorised,
        "status": status_after(Assessment, *(ASSESSMENT_AUTHORISED if authorised else ())),
        "factors": ["3B", "4B"] if authorised else [],
    }
    fields.update(kw)
    return Assessment.objects.create(child=ref.child, referral=ref, **fields)


def cin_plan(ref: Referral, start: date, end: date | None = None) -> CINPlan:
    return CINPlan.objects.create(
        child=ref.child,
        referral=ref,
        started_on=start,
        ended_on=end,
        status=status_after(CINPlan, *(["end"] if end else [])),
    )


def s47(ref: Referral, start: date, *, icpc_on: date | None = None, not_required=False):
    discussion = StrategyDiscussion.objects.create(
        child=ref.child, referral=ref, held_on=start, s47_required=True
    )
    enquiry = Section47Enquiry.objects.create(
        child=ref.child,
        referral=ref,
        strategy_discussion=discussion,
        started_on=start,
        icpc_due_on=timescales.icpc_due_on(start),
        icpc_not_required=not_required,
        ended_on=icpc_on,
        outcome=S47Outcome.ICPC if icpc_on else (S47Outcome.NFA if not_required else ""),
        status=status_after(Section47Enquiry, *(S47_SIGNED_OFF if icpc_on or not_required else ())),
    )
    icpc = None
    if icpc_on:
        icpc = ChildProtectionConference.objects.create(
            child=ref.child,
            referral=ref,
            kind=ConferenceKind.INITIAL,
            s47=enquiry,
            due_on=enquiry.icpc_due_on,
            held_on=icpc_on,
            status=status_after(ChildProtectionConference, "hold"),
            outcome=ConferenceOutcome.PLAN,
        )
    return enquiry, icpc


def cp_plan(
    icpc: ChildProtectionConference, *, end: date | None = None, category="NEG", reviews=()
):
    plan = ChildProtectionPlan.objects.create(
        child=icpc.child,
        referral=icpc.referral,
        icpc=icpc,
        started_on=icpc.held_on,
        ended_on=end,
        status=status_after(ChildProtectionPlan, *(["end"] if end else [])),
        initial_category=category,
        latest_category=category,
        first_core_group_due_on=timescales.first_core_group_due_on(icpc.held_on),
    )
    for day in reviews:
        ChildProtectionConference.objects.create(
            child=icpc.child,
            referral=icpc.referral,
            kind=ConferenceKind.REVIEW,
            plan=plan,
            due_on=day,
            held_on=day,
            status=status_after(ChildProtectionConference, "hold"),
            outcome=ConferenceOutcome.CONTINUE,
        )
    return plan


def contact(child: Child, received: date, decision=ScreeningDecision.REFERRAL, source="2A"):
    from datetime import datetime, time

    from django.utils import timezone

    at = timezone.make_aware(datetime.combine(received, time(10, 0)))
    c = Contact.objects.create(
        received_at=at,
        source=source,
        reason="Concern",
        screening_due_on=timescales.screening_due_on(at, timescales.screening_standard()),
        status=status_after(Contact, "decide"),
        decided_at=at,
    )
    return ContactChild.objects.create(contact=c, child=child, decision=decision)


def team_and_worker() -> tuple[Team, Worker]:
    team = Team.objects.create(name=f"Assessment {next(_seq)}", service_area="assessment")
    worker = Worker.objects.create(
        staff_id=f"S{next(_seq)}",
        first_name="Alex",
        last_name="Worker",
        team=team,
        role=WorkerRole.SOCIAL_WORKER,
        started_on=date(2020, 1, 1),
    )
    return team, worker


def small_authority(*, unborn: bool = True) -> dict[str, Child]:
    """A hand-built authority whose 2024-25 census has every kind of record and no errors.

    Dates are working days (ICPCs especially) and every deadline rule in domain.md holds.
    ``unborn=False`` leaves out the unborn child.
    """
    authority()
    kids = {}
    # 1. Referred in year, assessed, NFA closure.
    a = kids["closed_nfa"] = child(sex="M")
    r = referral(a, date(2024, 5, 7), closed_on=date(2024, 6, 20), closure_reason="RC8")
    assessment(r, date(2024, 5, 8), date(2024, 6, 18), factors=["21"])
    # 2. Open on 1 April from the previous year, on a CIN plan, then s47 -> ICPC -> CP plan.
    # A UPN on a real LA code (850): characters 2-4 are checked by DfE rule 1530.
    b = kids["cp_plan"] = child(upn="P850123456789", upn_unknown_reason="")
    r = referral(b, date(2024, 1, 15))
    assessment(r, date(2024, 1, 16), date(2024, 2, 28))
    # The CIN plan ends the day before the CP plan starts: the two never share a day.
    cin_plan(r, date(2024, 2, 28), date(2024, 9, 3))
    _, icpc = s47(r, date(2024, 8, 14), icpc_on=date(2024, 9, 4))
    cp_plan(icpc, reviews=[date(2024, 12, 4)], category="EMO")
    # 3. Unborn child, referred in year, assessment in progress.
    if unborn:
        c = kids["unborn"] = child(
            date_of_birth=None,
            expected_date_of_birth=date(2025, 6, 1),
            sex="U",
            disabilities=[],
            upn_unknown_reason="UN8",
        )
        r = referral(c, date(2025, 2, 3), source="3B")
        assessment(r, date(2025, 2, 4))
    # 4. Referral NFA in year.
    d = kids["referral_nfa"] = child(disabilities=["AUT", "LD"])
    referral(
        d,
        date(2024, 11, 12),
        nfa=True,
        primary_need="",
        closed_on=date(2024, 11, 12),
        closure_reason="RC8",
        source="6",
    )
    # 5. S47 with ICPC not required, case closed RC7 after CIN plan.
    e = kids["s47_no_icpc"] = child(sex="M")
    r = referral(e, date(2024, 4, 22), closed_on=date(2025, 1, 10), closure_reason="RC7")
    assessment(r, date(2024, 4, 22), date(2024, 5, 30))
    s47(r, date(2024, 5, 2), not_required=True)
    cin_plan(r, date(2024, 5, 30), date(2025, 1, 10))
    # Out of scope: closed before the census year, and a record entered in error.
    old = kids["out_of_scope"] = child()
    referral(old, date(2023, 5, 2), closed_on=date(2023, 9, 1))
    gone = child()
    referral(gone, date(2024, 6, 3), entered_in_error=True)
    return kids

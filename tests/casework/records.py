"""Minimal case records for calendar, timescale and admin tests, written directly.

Only rows in their first status, or in one ``casework.transitions.status_after`` names
(tests/architecture/test_status_writes_in_tests.py refuses a status written otherwise).
A test that needs a record moved along its transitions builds it through the services
(tests/factories/flows.py) or their decisions (tests/factories/decided.py).
"""

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

from accounts.models import Role, User
from casework import timescales
from casework.codes import AbuseCategory, ReferralSource, Sex
from casework.models import (
    Assessment,
    Authority,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Worker,
    WorkerRole,
)
from casework.transitions import status_after
from referrals.models import Contact, ContactChild, Referral

LONDON = ZoneInfo("Europe/London")
_seq = count(1)


def administrator(username="admin") -> User:
    return User.objects.create_superuser(
        username=username, password="x-unused-x", role=Role.ADMINISTRATOR
    )


def authority(**fields) -> Authority:
    return Authority.objects.create(**{"la_code": "999", "name": "Testshire", **fields})


def worker(**fields) -> Worker:
    n = next(_seq)
    team = fields.pop("team", None) or Team.objects.create(
        name=f"Team {n}", service_area="assessment"
    )
    return Worker.objects.create(
        staff_id=f"S{n}",
        first_name="Sam",
        last_name=f"Worker{n}",
        team=team,
        role=WorkerRole.SOCIAL_WORKER,
        started_on=date(2020, 1, 1),
        **fields,
    )


def child(**fields) -> Child:
    n = next(_seq)
    defaults = {"la_child_id": f"C{n:06d}", "first_name": "Alex", "last_name": f"Child{n}"}
    return Child.objects.create(**{**defaults, "sex": Sex.FEMALE, **fields})


def referral(*, referred_on: date, **fields) -> Referral:
    return Referral.objects.create(
        child=fields.pop("child", None) or child(),
        referred_on=referred_on,
        source=ReferralSource.SCHOOLS,
        assessment_due_on=timescales.assessment_due_on(referred_on),
        **fields,
    )


def contact(*, received_at: datetime, **fields) -> Contact:
    found = Contact.objects.create(
        received_at=received_at,
        source=ReferralSource.POLICE,
        reason="Concern reported",
        screening_due_on=timescales.screening_due_on(received_at, timescales.screening_standard()),
        **fields,
    )
    ContactChild.objects.create(contact=found, child=child())
    return found


def assessment(*, on: Referral, started_on: date | None = None, **fields) -> Assessment:
    started_on = started_on or on.referred_on
    return Assessment.objects.create(
        child=on.child,
        referral=on,
        started_on=started_on,
        due_on=timescales.assessment_due_on(on.referred_on),
        dfe_due_on=timescales.assessment_dfe_due_on(started_on),
        **fields,
    )


def s47(*, on: Referral, started_on: date, **fields) -> Section47Enquiry:
    discussion = StrategyDiscussion.objects.create(
        child=on.child, referral=on, held_on=started_on, s47_required=True
    )
    return Section47Enquiry.objects.create(
        child=on.child,
        referral=on,
        strategy_discussion=discussion,
        started_on=started_on,
        icpc_due_on=timescales.icpc_due_on(started_on),
        **fields,
    )


def icpc(*, for_s47: Section47Enquiry, **fields) -> ChildProtectionConference:
    """An initial conference; held (as the state machine's ``hold`` leaves it) when it has a
    ``held_on``."""
    if fields.get("held_on"):
        fields.setdefault("status", status_after(ChildProtectionConference, "hold"))
    return ChildProtectionConference.objects.create(
        child=for_s47.child,
        referral=for_s47.referral,
        kind=ConferenceKind.INITIAL,
        s47=for_s47,
        due_on=timescales.icpc_due_on(for_s47.started_on),
        **fields,
    )


def cp_plan(*, from_icpc: ChildProtectionConference, **fields) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        child=from_icpc.child,
        referral=from_icpc.referral,
        icpc=from_icpc,
        started_on=from_icpc.held_on,
        initial_category=AbuseCategory.NEGLECT,
        latest_category=AbuseCategory.NEGLECT,
        first_core_group_due_on=timescales.first_core_group_due_on(from_icpc.held_on),
        next_visit_due_on=timescales.cp_visit_due_on(from_icpc.held_on),
        **fields,
    )

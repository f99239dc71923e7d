"""Small builders for access tests: users with worker records, children in known states.

Kept here (not tests/factories/) while the shared factories are written on another branch.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Role, User
from casework.codes import ReferralSource, Sex
from casework.models import Allocation, AllocationReason, Child, Team, Worker, WorkerRole
from referrals.models import Contact, ContactChild, Referral

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)

WORKER_ROLE = {
    Role.SOCIAL_WORKER: WorkerRole.SOCIAL_WORKER,
    Role.TEAM_MANAGER: WorkerRole.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE: WorkerRole.HEAD_OF_SERVICE,
    Role.BUSINESS_SUPPORT: WorkerRole.BUSINESS_SUPPORT,
    Role.AUDITOR: WorkerRole.SOCIAL_WORKER,
    Role.ADMINISTRATOR: WorkerRole.SOCIAL_WORKER,
}


def make_team(name: str | None = None) -> Team:
    return Team.objects.create(name=name or f"Team {next(_seq)}", service_area="assessment")


def make_user(role: str = Role.SOCIAL_WORKER, *, team: Team | None = None, **fields) -> User:
    """A user; with ``team`` also their worker record (managers manage that team)."""
    n = next(_seq)
    user = User.objects.create_user(
        username=fields.pop("username", f"{role}-{n}"), password=PASSWORD, role=role, **fields
    )
    if team is not None:
        worker = Worker.objects.create(
            user=user,
            staff_id=f"S{n:05d}",
            first_name=role.title(),
            last_name=str(n),
            team=team,
            role=WORKER_ROLE[role],
            started_on=date(2020, 1, 1),
        )
        if role == Role.TEAM_MANAGER:
            Team.objects.filter(pk=team.pk).update(manager=worker)
    return user


def make_child(**fields) -> Child:
    n = next(_seq)
    defaults = {
        "la_child_id": f"C{n:06d}",
        "first_name": "Child",
        "last_name": f"Number{n}",
        "date_of_birth": date(2015, 1, 1),
        "sex": Sex.FEMALE,
    }
    return Child.objects.create(**{**defaults, **fields})


def on_contact(child: Child) -> ContactChild:
    contact = Contact.objects.create(
        received_at=timezone.now(),
        source=ReferralSource.SCHOOLS,
        reason="Concern raised by school",
        screening_due_on=timezone.localdate() + timedelta(days=1),
    )
    return ContactChild.objects.create(contact=contact, child=child)


def allocate(child: Child, user: User) -> Allocation:
    """Open an episode for ``child`` and allocate it to ``user``'s worker record."""
    referral = Referral.objects.create(
        child=child, referred_on=date(2026, 1, 5), source=ReferralSource.SCHOOLS
    )
    worker = user.worker
    return Allocation.objects.create(
        child=child,
        referral=referral,
        worker=worker,
        team=worker.team,
        started_on=date(2026, 1, 6),
        reason=AllocationReason.NEW,
    )


def enter_in_error(child: Child) -> Child:
    Child.objects.filter(pk=child.pk).update(entered_in_error=True)
    child.refresh_from_db()
    return child

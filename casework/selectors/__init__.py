"""Reads for pages: who may see which children, and the querysets each page needs.

``children_visible_to`` is the single access rule for case records. Every page and
selector that shows a child goes through it, so tightening access (restricted records,
legitimate relationship checks) is a change in one place.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from casework.models import Allocation, Child, Team, Worker
from referrals.models import Contact, ContactChild, Referral


def worker_for(user: User) -> Worker | None:
    """The signed-in user's ``Worker`` row, or None (e.g. an administrator)."""
    try:
        return user.worker
    except Worker.DoesNotExist:
        return None


def team_id_for(user: User) -> int | None:
    """The team a user works in; a manager's team is the one they manage.

    Remembered on the user object, which lives for one request, so several selectors on
    a page do not look it up again.
    """
    if not hasattr(user, "_caseflow_team_id"):
        user._caseflow_team_id = _team_id(user)
    return user._caseflow_team_id


def _team_id(user: User) -> int | None:
    worker = worker_for(user)
    if worker is None:
        return None
    if user.role == Role.TEAM_MANAGER:
        managed = Team.objects.filter(manager=worker).order_by("pk").values_list("pk", flat=True)
        return managed.first() or worker.team_id
    return worker.team_id


def team_for(user: User) -> Team | None:
    team_id = team_id_for(user)
    return None if team_id is None else Team.objects.filter(pk=team_id).first()


def _current_allocations():
    return Allocation.objects.filter(ended_on__isnull=True, entered_in_error=False)


def children_visible_to(user: User) -> QuerySet[Child]:
    """The children whose records ``user`` may open. THE access rule: keep it here only.

    - head of service, auditor, administrator: every child;
    - anyone else with a worker record: children currently allocated to their team;
    - a team manager also sees children whose open episode has no allocated worker
      (managers allocate from the unallocated queue) and children on a contact awaiting
      screening (managers make the front-door decision).
    Everyone else sees nothing. A child entered in error is never shown.
    """
    children = Child.objects.current()
    if not user.is_authenticated:
        return children.none()
    if user.sees_everything:
        return children
    team_id = team_id_for(user)
    if team_id is None:
        return children.none()
    # Uncorrelated IN (subquery) rather than EXISTS per child: PostgreSQL evaluates each
    # once and hashes it, so lists that filter on this stay linear in their size.
    allocated = _current_allocations().filter(team_id=team_id).values("child_id")
    rule = Q(pk__in=allocated)
    if user.role == Role.TEAM_MANAGER:
        unallocated = (
            Referral.objects.current()
            .filter(status=Referral.Status.OPEN)
            .exclude(pk__in=_current_allocations().values("referral_id"))
            .values("child_id")
        )
        awaiting_screening = ContactChild.objects.filter(
            contact__status=Contact.Status.AWAITING_DECISION, contact__entered_in_error=False
        ).values("child_id")
        rule |= Q(pk__in=unallocated) | Q(pk__in=awaiting_screening)
    return children.filter(rule)

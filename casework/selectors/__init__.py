"""Reads for pages: who may see which children, and the querysets each page needs.

``children_visible_to`` is the single access rule for case records. Every page and
selector that shows a child goes through it, so tightening access (restricted records,
legitimate relationship checks) is a change in one place.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from casework.models import Child, Team, Worker
from casework.predicates import open_allocations


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
    return open_allocations()


def children_visible_to(user: User) -> QuerySet[Child]:
    """The children whose records ``user`` may open: ``accounts.permissions`` holds the rule."""
    from accounts.permissions import visible_children

    return visible_children(user)


def visible_record(model, *, user: User, pk: int, related: tuple[str, ...] = ()):
    """One current case record of ``model`` about a child ``user`` may see, or None."""
    from accounts.permissions import visible_to

    rows = model.objects.current().filter(pk=pk)
    return visible_to(user, rows).select_related("child", "referral", *related).first()

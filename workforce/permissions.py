"""Which teams a user maintains, supervises and audits in the workforce app. Who may do
each at all is the one role table (``accounts.permissions``: ``workforce_view``,
``establishment_maintain``, ``staff_supervise``, ``case_file_audit``); which children a
user sees stays there too."""

from __future__ import annotations

from accounts.models import Role, User
from accounts.permissions import can, roles_for
from casework.models import Team, Worker
from casework.selectors import team_id_for

# The table's answers under the names the access tests read; defined there, not here.
AUDITING_ROLES = roles_for("case_file_audit")
SUPERVISING_ROLES = roles_for("staff_supervise")


def teams_for(user: User):
    """Teams whose establishment and workforce figures ``user`` sees: a team manager
    their own team; heads of service, business support, auditors and administrators all."""
    if user.role == Role.TEAM_MANAGER:
        return Team.objects.filter(pk=team_id_for(user))
    if can(user, "workforce_view"):
        return Team.objects.filter(is_active=True)
    return Team.objects.none()


def can_maintain(user: User, team: Team) -> bool:
    if not can(user, "establishment_maintain"):
        return False
    return user.role != Role.TEAM_MANAGER or team_id_for(user) == team.pk


def can_supervise(user: User, worker: Worker) -> bool:
    """A head of service, or the worker's own team manager."""
    if not can(user, "staff_supervise"):
        return False
    return user.role != Role.TEAM_MANAGER or team_id_for(user) == worker.team_id

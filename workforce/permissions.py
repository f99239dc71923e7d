"""Who may maintain the establishment, supervise and audit (role rules beside
``accounts.permissions``; which children a user sees stays there)."""

from __future__ import annotations

from accounts.models import Role, User
from casework.models import Team, Worker
from casework.selectors import team_id_for

ESTABLISHMENT_ROLES = {
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.BUSINESS_SUPPORT,
    Role.ADMINISTRATOR,
}
AUDITING_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.AUDITOR, Role.ADMINISTRATOR}
SUPERVISING_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}
WORKFORCE_PAGE_ROLES = ESTABLISHMENT_ROLES | {Role.AUDITOR}


def teams_for(user: User):
    """Teams whose establishment and workforce figures ``user`` sees: a team manager
    their own team; heads of service, business support, auditors and administrators all."""
    if user.role == Role.TEAM_MANAGER:
        return Team.objects.filter(pk=team_id_for(user))
    if user.role in WORKFORCE_PAGE_ROLES:
        return Team.objects.filter(is_active=True)
    return Team.objects.none()


def can_maintain(user: User, team: Team) -> bool:
    if user.role not in ESTABLISHMENT_ROLES:
        return False
    return user.role != Role.TEAM_MANAGER or team_id_for(user) == team.pk


def can_supervise(user: User, worker: Worker) -> bool:
    """The worker's team manager, or a head of service."""
    if user.role == Role.HEAD_OF_SERVICE:
        return True
    return user.role == Role.TEAM_MANAGER and team_id_for(user) == worker.team_id

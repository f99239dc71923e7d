"""The demo logins: fixed usernames for every role, attached to the generated authority."""

from django.db import transaction

from accounts.models import Role, User
from casework.models import Team, Worker, WorkerRole


@transaction.atomic
def ensure_demo_users(*, password: str) -> dict[str, User]:
    """Create or reset ``sw``, ``tm``, ``hos`` and ``admin``; link them to workers.

    ``sw`` is the case-holding worker with the most open allocations in the first
    assessment or safeguarding team, and ``tm`` manages that team, so the demo shows a
    real caseload and a real team.
    """
    team = Team.objects.filter(is_active=True).order_by("pk").first()
    users = {}
    specs = [
        ("sw", Role.SOCIAL_WORKER, WorkerRole.SOCIAL_WORKER, False),
        ("tm", Role.TEAM_MANAGER, WorkerRole.TEAM_MANAGER, False),
        ("hos", Role.HEAD_OF_SERVICE, WorkerRole.HEAD_OF_SERVICE, False),
        ("admin", Role.ADMINISTRATOR, None, True),
    ]
    for username, role, worker_role, superuser in specs:
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.is_staff = superuser
        user.is_superuser = superuser
        user.is_active = True
        user.set_password(password)
        if worker_role and team:
            worker = _demo_worker(team, worker_role)
            if worker and (worker.user_id is None or worker.user_id == user.pk):
                user.first_name, user.last_name = worker.first_name, worker.last_name
                user.save()
                Worker.objects.filter(user=user).exclude(pk=worker.pk).update(user=None)
                worker.user = user
                worker.save(update_fields=["user"])
        user.save()
        users[username] = user
    return users


def _demo_worker(team: Team, role: str) -> Worker | None:
    workers = Worker.objects.filter(role=role, left_on__isnull=True)
    if role == WorkerRole.HEAD_OF_SERVICE:
        return workers.order_by("pk").first()
    if role == WorkerRole.TEAM_MANAGER:
        return team.manager or workers.filter(team=team).order_by("pk").first()
    return workers.filter(team=team, newly_qualified=False).order_by("-pk").first()

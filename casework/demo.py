"""The demo logins: fixed usernames for every role, attached to the generated authority."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import RestrictedAccess, RestrictionReason, Role, User
from casework.models import (
    Authority,
    Child,
    ChildProtectionPlan,
    CINPlan,
    Team,
    Worker,
    WorkerRole,
)
from casework.predicates import on_caseload, open_allocation, open_allocations


@transaction.atomic
def ensure_demo_users(*, password: str) -> dict[str, User]:
    """Create or reset ``sw``, ``tm``, ``hos`` and ``admin``; link them to workers.

    ``sw`` is the experienced social worker (not newly qualified, still in post, in a team
    with a manager) holding the most open cases within the authority's caseload threshold,
    and ``tm`` manages that team, so the demo shows a real caseload and a real team.
    """
    # Once chosen, sw keeps their worker (the demo's week adds cases to that caseload).
    caseworker = _linked_caseworker() or _demo_caseworker()
    team = caseworker.team if caseworker else None
    team = team or Team.objects.filter(is_active=True).order_by("pk").first()
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
            worker = caseworker if username == "sw" else _demo_worker(team, worker_role)
            if worker and (worker.user_id is None or worker.user_id == user.pk):
                user.first_name, user.last_name = worker.first_name, worker.last_name
                user.save()
                Worker.objects.filter(user=user).exclude(pk=worker.pk).update(user=None)
                worker.user = user
                worker.save(update_fields=["user"])
        user.save()
        users[username] = user
    _open_restricted_caseload(users)
    return users


def _open_restricted_caseload(users: dict[str, User]) -> None:
    """The generator restricts a few records (flag only: it knows no users). Those held by
    the demo's worker get an access list naming sw, tm and hos, as the allocated worker and
    their managers always are in practice: otherwise sw's own child would vanish from sw."""
    worker = getattr(users["sw"], "worker", None)
    if worker is None:
        return
    held = open_allocations().filter(worker=worker)
    unlisted = (
        Child.objects.filter(pk__in=held.values("child"), is_restricted=True)
        .exclude(pk__in=RestrictedAccess.objects.filter(lifted_at__isnull=True).values("child"))
        .order_by("pk")
    )
    now = timezone.now()
    for child in unlisted:
        access = RestrictedAccess.objects.create(
            child=child, reason=RestrictionReason.OTHER, set_by=users["hos"], set_at=now,
            reason_detail="Demo: restricted record held by sw",
            review_on=timezone.localdate() + timedelta(days=90),
        )  # fmt: skip
        access.users.set([users["sw"], users["tm"], users["hos"]])


def _demo_worker(team: Team, role: str) -> Worker | None:
    workers = Worker.objects.filter(role=role, left_on__isnull=True)
    if role == WorkerRole.HEAD_OF_SERVICE:
        return workers.order_by("pk").first()
    if role == WorkerRole.TEAM_MANAGER:
        return team.manager or workers.filter(team=team).order_by("pk").first()
    return _demo_caseworker() or workers.filter(team=team).order_by("pk").first()


def _linked_caseworker() -> Worker | None:
    return Worker.objects.filter(
        user__username="sw", role=WorkerRole.SOCIAL_WORKER, left_on__isnull=True
    ).first()


def _demo_caseworker() -> Worker | None:
    authority = Authority.objects.first()
    threshold = authority.caseload_threshold if authority else 25
    open_cases = Count("allocations", filter=on_caseload("allocations__", worker=""))
    workers = (
        Worker.objects.filter(
            role=WorkerRole.SOCIAL_WORKER,
            newly_qualified=False,
            left_on__isnull=True,
            team__manager__isnull=False,
            team__is_active=True,
        )
        .annotate(
            open_cases=open_cases,
            cp_plans=_children_on(ChildProtectionPlan),
            cin_plans=_children_on(CINPlan),
        )
        .order_by("-open_cases", "pk")
    )
    # A full but manageable caseload (the busiest worker at or under 20 and the
    # threshold) with children on CP and CIN plans, so the demo has plans and visits due.
    manageable = workers.filter(open_cases__lte=min(threshold, 20))
    return (
        manageable.filter(cp_plans__gt=0, cin_plans__gt=0).first()
        or workers.filter(cp_plans__gt=0, cin_plans__gt=0).first()
        or manageable.first()
        or workers.first()
    )


def _children_on(model) -> Count:
    """The worker's currently allocated children on an active plan of ``model``."""
    plans = model.objects.current().filter(status=model.Status.ACTIVE).values("referral")
    return Count(
        "allocations",
        filter=open_allocation("allocations__") & Q(allocations__referral__in=plans),
    )

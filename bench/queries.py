"""Query counts for the busiest pages with 10 and with 1,000 rows (must be equal).

Each measurement runs in a transaction that is rolled back, on the generated authority:
- worktray: a bench social worker is given 10, then 1,000, of the authority's current
  allocations; rows are their allocated children's due steps;
- caseload board: a bench team with 10, then 1,000, workers, each holding a case;
- KPI dashboard: 10, then 1,000, teams in the organisation (scopes to choose from).

Each page is requested once unmeasured first: the first request a process serves loads
process-wide caches (the working-day calendar, one query), so whichever size was measured
first used to count one more query (worktray: 12 with 10 rows, 11 with 1,000). The count
is the steady state every later request pays.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from casework.models import Allocation, ServiceArea, Team, Worker, WorkerRole
from casework.predicates import open_allocations

SIZES = (10, 1000)


class _Rollback(Exception):
    pass


def _count(user: User, path: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(path)  # warm the process-wide caches (see the module docstring)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} for {user.username}")
    return len(queries)


def _measure(build, path: str) -> int:
    try:
        with transaction.atomic():
            user = build()
            result = _count(user, path)
            raise _Rollback
    except _Rollback:
        return result


def _user(username: str, role: str) -> User:
    return User.objects.create(username=username, role=role)


def _worker(user: User | None, team: Team, role: str, staff_id: str) -> Worker:
    return Worker.objects.create(
        user=user, staff_id=staff_id, first_name="Bench", last_name=staff_id, team=team,
        role=role, fte=Decimal("1.00"), started_on=date(2020, 1, 1),
    )  # fmt: skip


def _worktray(n: int):
    def build():
        team = Team.objects.order_by("pk").first()
        user = _user("bench-sw", Role.SOCIAL_WORKER)
        worker = _worker(user, team, WorkerRole.SOCIAL_WORKER, "BENCH-SW")
        current = open_allocations().order_by("pk")
        # Every size draws from the same spread of the authority's allocations (every
        # k-th of the first SIZES[-1]), so each holds the same kinds of work: a page
        # asks one more query only for a kind it shows (children at risk, in care), and a
        # count compared across sizes must measure growth, not which kinds turned up.
        pool = list(current.values_list("pk", flat=True)[: SIZES[-1]])
        ids = pool[:: max(1, len(pool) // n)][:n]
        Allocation.objects.filter(pk__in=ids).update(worker=worker, team=team)
        return user

    return build


def _caseload_board(n: int):
    def build():
        team = Team.objects.create(name="Bench team", service_area=ServiceArea.ASSESSMENT)
        manager = _user("bench-tm", Role.TEAM_MANAGER)
        team.manager = _worker(manager, team, WorkerRole.TEAM_MANAGER, "BENCH-TM")
        team.save()
        Worker.objects.bulk_create(
            Worker(staff_id=f"BENCH-{i}", first_name="Bench", last_name=str(i), team=team,
                   role=WorkerRole.SOCIAL_WORKER, fte=Decimal("1.00"),
                   started_on=date(2020, 1, 1))
            for i in range(n)
        )  # fmt: skip
        workers = list(Worker.objects.filter(team=team, role=WorkerRole.SOCIAL_WORKER))
        current = open_allocations().order_by("pk")
        for worker, pk in zip(workers, current.values_list("pk", flat=True)[:n], strict=False):
            Allocation.objects.filter(pk=pk).update(worker=worker, team=team)
        return manager

    return build


def _kpi_dashboard(n: int):
    def build():
        existing = Team.objects.count()
        Team.objects.bulk_create(
            Team(name=f"Bench team {i}", service_area=ServiceArea.CHILDREN_IN_NEED)
            for i in range(max(0, n - existing))
        )
        return _user("bench-hos", Role.HEAD_OF_SERVICE)

    return build


def measure() -> dict:
    out = {}
    for name, builder, path in (
        ("worktray", _worktray, "/my-work/"),
        ("caseload_board", _caseload_board, "/caseloads/"),
        ("kpi_dashboard", _kpi_dashboard, "/kpis/"),
    ):
        for size in SIZES:
            out[f"queries_{name}_{size}"] = _measure(builder(size), path)
    return out

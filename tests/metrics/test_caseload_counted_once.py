"""Issue 18: a caseload is counted one way (``casework.predicates.on_caseload``).

A worker who moves team keeps their cases until a manager reallocates them, so the
allocation still names the old team. The caseload is the worker's: the board, the head of
service's overview, the caseload page and the KPI all count the child for the team the
worker is in now.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role, User
from casework.models import Allocation, WorkerRole
from casework.selectors.caseload import team_caseloads, teams_overview
from tests.metrics import builders as b
from tests.metrics.conftest import figure
from workforce.services.establishment import contract_start, post_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved():
    b.authority(population={2024: 60_000})
    old, new = b.team("Old team"), b.team("New team")
    mover, stayer = b.worker(old), b.worker(old)
    b.worker(new)  # the new team's own social worker, no cases yet
    for holder in (mover, mover, stayer):
        b.allocate(b.referral(b.child(), date(2024, 5, 1)), holder, date(2024, 5, 2))
    hos = User.objects.create_user(username="hos-moves", role=Role.HEAD_OF_SERVICE)
    post = post_create(team=new, role=WorkerRole.SOCIAL_WORKER, budgeted_fte=Decimal("1"),
                       valid_from=date(2024, 6, 1), by=hos)  # fmt: skip
    contract_start(post=post, worker=mover, started_on=date(2024, 6, 1), fte=Decimal("1"),
                   employment="permanent", by=hos)  # fmt: skip
    return {"old": old, "new": new, "mover": mover, "hos": hos}


def test_the_mover_still_holds_allocations_naming_the_old_team(moved):
    held = Allocation.objects.filter(worker=moved["mover"], ended_on__isnull=True)
    assert [a.team_id for a in held] == [moved["old"].pk] * 2


def test_board_overview_page_and_kpi_count_the_child_for_the_workers_team(moved, client):
    old, new, mover = moved["old"], moved["new"], moved["mover"]
    board = {load.worker.pk: load.children for load in team_caseloads(team=new)}
    assert board[mover.pk] == 2
    assert sum(load.children for load in team_caseloads(team=old)) == 1

    overview = {t.pk: t.children for t in teams_overview()}
    assert (overview[old.pk], overview[new.pk]) == (1, 2)

    kpi = figure("caseload_per_worker", "2024-06", ("team", new.pk))
    assert kpi[0] == 2
    assert figure("caseload_per_worker", "2024-06", ("team", old.pk), recompute=False)[0] == 1

    client.force_login(moved["hos"])
    page = client.get(reverse("metrics:caseload"), {"period": "2024-06"})
    live = {row["team"].pk: row["live_children"] for row in page.context["team_rows"]}
    assert (live[old.pk], live[new.pk]) == (1, 2)

"""Caseloads (head count and DfE FTE method), unallocated cases and children in need."""

from datetime import date

import pytest

from casework.models import WorkerRole
from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseloads():
    b.authority(population={2024: 60_000})
    team = b.team()
    full, half = b.worker(team, fte="1.00"), b.worker(team, fte="0.50")
    b.worker(team, fte="1.00")  # in post, no cases
    b.worker(team, started_on=date(2024, 10, 1))  # not yet in post
    manager = b.worker(team, role=WorkerRole.TEAM_MANAGER)
    for _ in range(3):
        b.allocate(b.referral(b.child(), date(2024, 5, 1)), full, date(2024, 5, 2))
    moved = b.referral(b.child(), date(2024, 5, 1))
    # Transferred on 30 June: held by the new worker at the end of that day.
    b.allocate(moved, full, date(2024, 5, 2), ended_on=date(2024, 6, 30))
    b.allocate(moved, half, date(2024, 6, 30))
    b.allocate(b.referral(b.child(), date(2024, 5, 1)), manager, date(2024, 5, 2))
    closed = b.referral(b.child(), date(2024, 5, 1), closed_on=date(2024, 6, 15))
    b.allocate(closed, full, date(2024, 5, 2), ended_on=date(2024, 6, 15))
    b.referral(b.child(), date(2024, 6, 3))  # open, never allocated
    b.in_error(b.referral(b.child(), date(2024, 6, 3)))
    return {"team": team, "full": full, "half": half}


def test_caseload_per_worker_is_children_held_over_case_holders_in_post(caseloads):
    assert figure("caseload_per_worker", "2024-06") == (4, 3, pytest.approx(1.3333))
    team, full = caseloads["team"], caseloads["full"]
    assert figure("caseload_per_worker", "2024-06", ("team", team.pk), recompute=False) == (
        4,
        3,
        pytest.approx(1.3333),
    )
    assert figure("caseload_per_worker", "2024-06", ("worker", full.pk), recompute=False) == (
        3,
        1,
        3.0,
    )


def test_the_dfe_caseload_is_cases_over_fte_of_case_holders_at_30_september(caseloads):
    # 4 cases held by case-holding social workers; FTE of those holding cases 1.0 + 0.5.
    num, den, value = figure("caseload_dfe", "FY2024-25")
    assert (num, value) == (4, pytest.approx(2.6667))
    assert figure("caseload_dfe", "2024-Q3")[2] == pytest.approx(2.6667)


def test_unallocated_cases_are_open_episodes_with_no_current_allocation(caseloads):
    assert figure("unallocated_cases", "2024-06") == (1, 6, 1.0)


def test_children_in_need_rate_counts_children_with_an_open_episode(caseloads):
    assert figure("rate_cin_per_10k", "2024-06") == (6, 60_000, 1.0)

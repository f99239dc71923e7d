"""Issue 23: the caseload threshold is per full-time worker, so it scales with FTE."""

from decimal import Decimal

from casework.models import Worker
from casework.selectors.caseload import WorkerCaseload


def test_a_part_time_worker_is_over_the_threshold_at_half_the_children():
    full, half = Worker(fte=Decimal("1.00")), Worker(fte=Decimal("0.50"))
    # 14 children: within 25 for a full-time worker; over 12.5 for one at 0.5 FTE,
    # which the head-count comparison (14 <= 25) missed.
    assert not WorkerCaseload(full, 25, children=14).over_threshold
    assert WorkerCaseload(half, 25, children=14).over_threshold
    assert WorkerCaseload(half, 25, children=12).fte_threshold == Decimal("12.5")
    assert not WorkerCaseload(half, 25, children=12).over_threshold

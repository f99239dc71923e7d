"""Restricted children are hidden from drill-downs but still count in KPI totals."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import RestrictionReason, Role
from accounts.permissions import visible_children
from accounts.services import child_restrict
from tests.accounts.builders import make_user
from tests.metrics import builders as b
from tests.metrics.conftest import figure, working_day_calendar  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db


def test_a_restricted_child_still_counts_in_the_kpi_totals():
    b.authority(population={2024: 60_000})
    worker = b.worker(b.team(), fte="1.00")
    held = [b.child() for _ in range(3)]
    for child in held:
        b.allocate(b.referral(child, date(2024, 5, 1)), worker, date(2024, 5, 2))
    head = make_user(Role.HEAD_OF_SERVICE)
    child_restrict(
        child=held[0],
        by=make_user(Role.ADMINISTRATOR),
        reason=RestrictionReason.STAFF_RELATIVE,
        review_on=timezone.localdate() + timedelta(days=30),
        users=[],
    )
    # Hidden from a head of service who is not on the access list...
    assert set(visible_children(head)) == set(held[1:])
    # ...yet in every total: caseload, and children in need per 10,000.
    assert figure("caseload_per_worker", "2024-06")[:2] == (3, 1)
    assert figure("rate_cin_per_10k", "2024-06")[:2] == (3, 60_000)

"""The KPI jobs fanned out on a live worker (one task per KPI) and the incremental job
after real writes give exactly the snapshots of a full sequential recompute."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from casework import services as casework
from casework.errors import DomainError
from casework.models import Allocation, Assessment, Worker
from casework.scope import scope_drift
from casework.services.common import save
from metrics import services, tasks
from metrics.kpis.stocks import CASE_HOLDING
from metrics.models import KpiSnapshot
from metrics.registry import CODES
from referrals.models import Referral
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]

FIELDS = ("kpi", "period", "scope_type", "scope_key", "numerator", "denominator", "value")


def _snapshots() -> list[tuple]:
    return sorted(KpiSnapshot.objects.values_list(*FIELDS))


@pytest.fixture
def queued(monkeypatch):
    """The incremental jobs the writes' commits send, to wait for their results."""
    results = []
    send = tasks.recompute_changes.delay

    def delay(*args, **kwargs):
        results.append(send(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(tasks.recompute_changes, "delay", delay)
    return results


def _move_authorisations(hos) -> None:
    """Correct two authorisation dates: one 40 days later, one 40 days earlier."""
    authorised = Assessment.objects.current().filter(authorised_on__isnull=False)
    later = authorised.order_by("authorised_on", "pk").first()
    earlier = authorised.filter(submitted_on__isnull=False).order_by("-authorised_on").first()
    with transaction.atomic():
        later.authorised_on = min(later.authorised_on + timedelta(days=40), timezone.localdate())
        save(later, by=hos, why="Corrected authorisation date")
    with transaction.atomic():
        earlier.authorised_on = max(
            earlier.authorised_on - timedelta(days=40), earlier.submitted_on
        )
        save(earlier, by=hos, why="Corrected authorisation date")


def _reallocate_back_dated(hos) -> list[str]:
    """Reallocate open episodes to another worker from a date in the past; returns the
    refusals (the test needs at least one done)."""
    done, refusals = 0, []
    current = Allocation.objects.current().filter(
        ended_on=None, referral__closed_on=None, referral__entered_in_error=False
    )
    for allocation in current.order_by("pk")[:20]:
        day = allocation.started_on + timedelta(days=10)
        other = (
            Worker.objects.filter(
                team=allocation.team, left_on=None, started_on__lte=day, role__in=CASE_HOLDING
            )
            .exclude(pk=allocation.worker_id)
            .first()
        )
        if other is None or day > timezone.localdate():
            continue
        try:
            casework.case_allocate(
                referral=allocation.referral, by=hos, worker=other, started_on=day,
                reason="workload",
            )  # fmt: skip
        except DomainError as refused:  # e.g. at a protected limit: try the next episode
            refusals.append(str(refused))
            continue
        done += 1
        if done == 3:
            break
    return [] if done else refusals or ["no open episode with another worker in its team"]


def _enter_in_error(hos) -> None:
    referral = (
        Referral.objects.filter(entered_in_error=False, assessments__isnull=False)
        .order_by("pk")
        .first()
    )
    casework.record_mark_entered_in_error(record=referral, by=hos, reason="Duplicate referral")
    allocation = Allocation.objects.current().order_by("-started_on", "pk").first()
    casework.record_mark_entered_in_error(record=allocation, by=hos, reason="Wrong worker")


def test_fanned_out_and_incremental_snapshots_equal_a_full_sequential_recompute(
    celery_worker, settings, queued
):
    call_command(
        "generate_authority", scale="tiny", seed=7, end_date=date(2025, 9, 30), stdout=StringIO()
    )
    hos = UserFactory(role=Role.HEAD_OF_SERVICE)

    assert tasks.compute_all_kpis.delay().get(timeout=300) > 0
    # One task per KPI: each wrote its rows under its own run time.
    assert KpiSnapshot.objects.values("computed_at").distinct().count() == len(CODES)
    before = _snapshots()

    settings.CASEFLOW_KPI_INCREMENTAL = True
    _move_authorisations(hos)
    assert _reallocate_back_dated(hos) == []
    _enter_in_error(hos)
    assert len(queued) >= 4
    for result in queued:
        result.get(timeout=300)
    incremental = _snapshots()
    # After back-dated edits, reallocations and entries in error through the services,
    # every event's stored scope is the one the allocation rule gives (casework.scope).
    assert set(scope_drift().values()) == {0}

    services.kpi_snapshots_compute_all()
    assert incremental == _snapshots()
    assert incremental != before

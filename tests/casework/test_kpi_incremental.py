"""Service writes queue the incremental KPI recompute once, on commit, for their dates."""

from datetime import date, timedelta

import pytest
from django.db import connection

from casework import services
from casework.errors import DomainError
from casework.models import Assessment
from casework.services.common import save
from metrics.services import _PendingRecompute
from tests.factories.flows import assessment_in

pytestmark = pytest.mark.kpi_incremental


def _pending() -> list[_PendingRecompute]:
    """The recompute callbacks waiting for this (test-wrapped) transaction to commit."""
    return [
        entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _PendingRecompute)
    ]


def test_writes_in_one_transaction_queue_one_recompute_covering_every_date(referral, sw, tm):
    assessment = assessment_in(
        Assessment.Status.SUBMITTED, referral=referral, worker_user=sw, manager=tm
    )
    services.assessment_authorise(assessment=assessment, by=tm, authorised_on=date(2025, 4, 1))
    # Every period ending on or after the earliest date is recomputed, which covers the
    # back-dated authorisation on 1 April.
    (pending,) = _pending()
    assert min(pending.days) == referral.referred_on <= date(2025, 4, 1)


def test_the_job_is_sent_with_each_tables_earliest_date_when_the_transaction_commits(
    monkeypatch,
):
    from metrics import tasks

    sent = []
    monkeypatch.setattr(tasks.recompute_changes, "delay", sent.append)
    callback = _PendingRecompute(date(2025, 4, 1), "casework_assessment")
    callback.add(date(2025, 3, 3), "casework_assessment")
    callback.add(date(2025, 5, 1), "casework_allocation")
    callback.add(date(2025, 6, 1), None)
    callback()
    assert sent == [
        {
            "casework_assessment": "2025-03-03",
            "casework_allocation": "2025-05-01",
            "*": "2025-06-01",
        }
    ]


def test_a_date_moved_later_recomputes_from_the_date_it_left(referral, sw, tm):
    assessment = assessment_in(
        Assessment.Status.AUTHORISED, referral=referral, worker_user=sw, manager=tm
    )
    old_day = assessment.started_on
    connection.run_on_commit.clear()
    # Every date of the record moves a month later: its earliest date is now later too.
    for field in ("started_on", "child_seen_on", "submitted_on", "authorised_on"):
        setattr(assessment, field, getattr(assessment, field) + timedelta(days=30))
    save(assessment, by=tm, why="Corrected")
    (pending,) = _pending()
    assert pending.changes["casework_assessment"] <= old_day


def test_a_refused_write_queues_nothing(referral, sw):
    before = {d for p in _pending() for d in p.days}
    with pytest.raises(DomainError):
        services.assessment_start(referral=referral, by=sw, started_on=date(2031, 1, 1))
    assert {d for p in _pending() for d in p.days} == before


def test_off_when_the_setting_is_off(referral, sw, settings):
    settings.CASEFLOW_KPI_INCREMENTAL = False
    before = {d for p in _pending() for d in p.days}
    services.assessment_start(referral=referral, by=sw, started_on=date(2025, 3, 4))
    assert {d for p in _pending() for d in p.days} == before

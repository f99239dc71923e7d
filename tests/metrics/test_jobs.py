"""The nightly KPI job through a live Celery worker and Redis."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps

from casework import calendar
from metrics.models import KpiSnapshot
from metrics.tasks import compute_all_kpis, recompute_for_dates
from tests.metrics import builders as b

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def restore_reference_data(django_db_blocker):
    """Put back what migrations wrote once the last test's flush has emptied the tables.

    (Cheaper than serialized_rollback, which reloads every migrated row per test.)
    """
    yield
    with django_db_blocker.unblock():
        calendar.calendar_rebuild()
        import_module("metrics.migrations.0002_seed_national_comparators").seed(apps, None)
        import_module("metrics.migrations.0005_seed_kpis_and_comparators").seed_england(apps, None)


def _snapshots():
    return sorted(
        KpiSnapshot.objects.values_list(
            "id", "kpi", "period", "scope_type", "scope_id", "numerator", "denominator", "value"
        )
    )


def test_the_nightly_job_run_twice_by_a_live_worker_gives_identical_snapshots(celery_worker):
    b.authority(population={2024: 50_000})
    worker = b.worker()
    for day in (3, 10, 17):
        ref = b.referral(b.child(), date(2024, 6, day))
        b.allocate(ref, worker, date(2024, 6, day))
        b.assessment(ref, date(2024, 6, day), authorised_on=date(2024, 7, 1), outcome="nfa")
    b.cp_plan(b.child(), date(2024, 6, 5))

    written = compute_all_kpis.delay().get(timeout=120)
    first = _snapshots()
    again = compute_all_kpis.delay().get(timeout=120)
    second = _snapshots()

    assert written == again == len(first) > 0
    assert first == second
    keys = [row[1:5] for row in second]
    assert len(keys) == len(set(keys))
    july = KpiSnapshot.objects.get(kpi="assessments_nfa", period="2024-07", scope_type="authority")
    assert (july.numerator, july.denominator) == (3, 3)


def test_the_incremental_job_runs_on_the_live_worker(celery_worker):
    b.authority()
    b.referral(b.child(), date(2024, 6, 3))
    assert recompute_for_dates.delay(["2024-06-03"]).get(timeout=120) > 0
    june = KpiSnapshot.objects.get(kpi="referrals_nfa", period="2024-06", scope_type="authority")
    assert june.denominator == 1

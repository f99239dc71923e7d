"""Snapshot writes: idempotent upserts, stale rows, incremental runs, query counts, commands."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework.models import Authority
from metrics import periods as P
from metrics import selectors, services
from metrics.models import KpiComparator, KpiSnapshot
from metrics.registry import CODES, KPIS
from tests.metrics import builders as b
from tests.metrics.conftest import TODAY, figure

pytestmark = [pytest.mark.django_db, pytest.mark.kpi_incremental]

PERIODS = [P.parse(n) for n in ("FY2024-25", "2024-Q2", "2024-08", "R12-2025-03", "YTD-2024-08")]


def _authority_with_cases(teams: int):
    if not Authority.objects.exists():
        b.authority(population={2024: 50_000})
    for t in range(teams):
        worker = b.worker(b.team())
        for day in (5, 12):
            ref = b.referral(b.child(), date(2024, 8, day), closed_on=date(2024, 9, 1))
            b.allocate(ref, worker, date(2024, 8, day))
            b.assessment(ref, date(2024, 8, day), authorised_on=date(2024, 8, 28), worker=worker)
            b.s47(ref, date(2024, 8, day), ended_on=date(2024, 8, 20), outcome="nfa")
        p = b.cp_plan(b.child(), date(2024, 8, 1 + t % 20))
        b.allocate(p.referral, worker, date(2024, 8, 1 + t % 20))
        b.visit(p, date(2024, 8, 26))
        b.review(p, due_on=date(2024, 8, 30), held_on=date(2024, 8, 29))
        b.contact(b.at(date(2024, 8, 5)), [b.child(), b.child()], decided=b.at(date(2024, 8, 6)))


def _state():
    return sorted(
        KpiSnapshot.objects.values_list(
            "id", "kpi", "period", "scope_type", "scope_id", "numerator", "denominator", "value"
        )
    )


def test_recomputing_is_idempotent_with_no_duplicate_rows():
    _authority_with_cases(teams=2)
    services.kpi_snapshots_compute(periods=PERIODS, today=TODAY)
    first = _state()
    services.kpi_snapshots_compute(periods=PERIODS, today=TODAY)
    assert _state() == first
    keys = [(k, p, t, s) for _, k, p, t, s, *_ in first]
    assert len(keys) == len(set(keys))
    assert KpiSnapshot.objects.filter(scope_type="authority").count() == len(CODES) * len(PERIODS)


def test_a_scope_left_with_no_events_loses_its_stale_row_on_recompute():
    b.authority()
    worker = b.worker()
    ref = b.referral(b.child(), date(2024, 8, 5))
    b.allocate(ref, worker, date(2024, 8, 5))
    assert figure("referrals_nfa", "2024-08", ("worker", worker.pk)) == (0, 1, 0.0)
    b.in_error(ref)
    compute_period = P.parse("2024-08")
    services.kpi_snapshots_compute(periods=[compute_period], codes=["referrals_nfa"], today=TODAY)
    assert not KpiSnapshot.objects.filter(scope_type="worker", scope_id=worker.pk).exists()
    assert figure("referrals_nfa", "2024-08", recompute=False) == (0, 0, None)


@pytest.mark.celery_eager("the recompute queued on commit is asserted in the figures after it")
def test_a_backdated_record_is_included_after_the_incremental_run(
    django_capture_on_commit_callbacks,
):
    b.authority()
    ref = b.referral(b.child(), date(2024, 3, 20))
    b.assessment(ref, date(2024, 3, 20), authorised_on=date(2024, 5, 28))
    services.kpi_snapshots_compute_all(today=date(2024, 12, 15))
    assert figure("assessments_45wd_from_referral", "2024-05", recompute=False) == (1, 1, 100.0)

    # Entered in December, dated May: the domain service schedules the recompute.
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        late = b.referral(b.child(), date(2024, 3, 20))
        b.assessment(late, date(2024, 3, 20), authorised_on=date(2024, 5, 29))
        services.schedule_recompute_for(date(2024, 5, 29))
    assert len(callbacks) == 1
    assert figure("assessments_45wd_from_referral", "2024-05", recompute=False) == (1, 2, 50.0)
    assert figure("assessments_45wd_from_referral", "FY2024-25", recompute=False)[1] == 2


def test_a_rolled_back_change_schedules_no_recompute(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                services.schedule_recompute_for(date(2024, 5, 29))
                raise RuntimeError("validation failed")
        except RuntimeError:
            pass
    assert callbacks == []


def test_the_incremental_run_recomputes_only_periods_ending_on_or_after_the_date():
    b.authority()
    b.referral(b.child(), date(2023, 4, 3))
    services.kpi_snapshots_compute_all(today=date(2024, 6, 15))
    before = dict(
        KpiSnapshot.objects.filter(scope_type="authority").values_list("period", "computed_at")
    )
    services.kpi_snapshots_compute_for_dates(dates=[date(2024, 5, 2)], today=date(2024, 6, 15))
    after = dict(
        KpiSnapshot.objects.filter(scope_type="authority").values_list("period", "computed_at")
    )
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {
        "2024-05", "2024-06", "2024-Q1", "FY2024-25", "R12-2024-05", "R12-2024-06",
        "YTD-2024-05", "YTD-2024-06",
    }  # fmt: skip


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_computing_takes_the_same_number_of_queries_whatever_the_data_size():
    def statements():
        with CaptureQueriesContext(connection) as ctx:
            services.kpi_snapshots_compute(periods=PERIODS, today=TODAY)
        sql = [q["sql"].lstrip().upper() for q in ctx.captured_queries]
        inserts = sum(s.startswith("INSERT") for s in sql)
        return len(sql) - inserts, inserts, KpiSnapshot.objects.count()

    _authority_with_cases(teams=1)
    small = statements()
    _authority_with_cases(teams=6)
    large = statements()
    # One aggregate query per KPI (two for each caseload KPI), populations, the
    # authority's visit and screening standards, the savepoint pair and the stale-row delete; on
    # PostgreSQL also the staging table's DROP, CREATE and COPY, and one INSERT ... SELECT
    # Elsewhere the upsert is one INSERT per batch of rows.
    per_kpi = sum(2 if k.kind == "caseload" else 1 for k in KPIS)
    staging = 3 if connection.vendor == "postgresql" else 0
    # The workforce KPIs (workforce/kpis.py) also read: the posts (vacancy_rate), the
    # caseload threshold and case-holders (workers_over_caseload_threshold) and the
    # supervision standard (supervision_in_time); this data has no contracts or
    # supervision, so no absences and no per-period supervision query.
    workforce = 4
    # contacts_by_source also keeps early help's counts by month and source
    # (earlyhelp.kpi_contact_sources.refresh): its aggregate, the stale months' DELETE
    # and its savepoint pair.
    contact_sources = 4
    assert small[0] == large[0] == per_kpi + 3 + 2 + 1 + staging + workforce + contact_sources
    assert large[2] > small[2]
    if connection.vendor == "postgresql":
        # The snapshots' INSERT ... SELECT and early help's monthly counts' upsert.
        assert small[1] == large[1] == 2


@pytest.mark.parametrize("teams", [1, 6])
def test_reading_the_dashboard_takes_three_queries_whatever_the_data_size(teams):
    _authority_with_cases(teams=teams)
    services.kpi_snapshots_compute(periods=PERIODS, today=TODAY)
    period = P.parse("2024-08")
    # 1: snapshots for the period and the previous one; 2: targets; 3: comparators.
    count = _queries(lambda: selectors.dashboard_data(period=period, scope_type="authority"))
    assert count == 3


def test_kpi_values_prints_json_with_the_contract_keys():
    _authority_with_cases(teams=1)
    services.kpi_snapshots_compute(periods=PERIODS, today=TODAY)
    out = io.StringIO()
    call_command("kpi_values", "--period", "FY2024-25", "--scope", "authority", stdout=out)
    rows = json.loads(out.getvalue())
    assert {r["kpi"] for r in rows} == set(CODES)
    assert all(list(r) == ["kpi", "period", "scope", "numerator", "denominator", "value"]
               for r in rows)  # fmt: skip
    nfa = next(r for r in rows if r["kpi"] == "assessments_45wd_dfe")
    assert nfa == {
        "kpi": "assessments_45wd_dfe",
        "period": "FY2024-25",
        "scope": "authority",
        "numerator": 2,
        "denominator": 2,
        "value": 100,
    }


def test_kpi_values_prints_csv_for_a_worker_scope():
    _authority_with_cases(teams=1)
    services.kpi_snapshots_compute(periods=PERIODS, today=TODAY)
    worker_id = KpiSnapshot.objects.filter(scope_type="worker").values_list("scope_id")[0][0]
    out = io.StringIO()
    call_command("kpi_values", period="2024-08", scope=f"worker:{worker_id}", format="csv",
                 stdout=out)  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows and all(r["scope"] == f"worker:{worker_id}" for r in rows)


def test_kpi_values_refuses_a_bad_period_or_scope():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Enter a period"):
        call_command("kpi_values", period="2024-Q9")
    with pytest.raises(CommandError, match=selectors.SCOPE_INVALID):
        call_command("kpi_values", period="2024-08", scope="team:abc")


def test_compute_kpis_command_computes_everything():
    _authority_with_cases(teams=1)
    out = io.StringIO()
    call_command("compute_kpis", stdout=out)
    assert "KPI snapshots" in out.getvalue()
    assert KpiSnapshot.objects.filter(period="FY2024-25", scope_type="authority").count() == len(
        CODES
    )


def test_national_comparators_are_seeded_from_domain_md():
    values = {c.kpi: float(c.value) for c in KpiComparator.objects.all()}
    assert values == {
        "rereferrals_12m": 22.6, "assessments_45wd_dfe": 85.7, "icpc_15wd": 81.4,
        "cp_repeat_plans": 24.5, "cp_ended_2y_plus": 4.4, "cp_open_2y_plus": 2.3,
        "caseload_dfe": 15.2, "rate_referrals_per_10k": 520, "rate_cin_per_10k": 330,
        "rate_cp_per_10k": 41,
    }  # fmt: skip
    assert {c.kind for c in KpiComparator.objects.all()} == {"england"}
    assert all(c.period and c.source.startswith("DfE") for c in KpiComparator.objects.all())

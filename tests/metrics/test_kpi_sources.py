"""The incremental recompute's map from a written table to the KPIs that read it."""

from datetime import date

import pytest

from casework.models import Assessment
from metrics import periods as P
from metrics import services
from metrics.kpi_sources import SOURCES
from metrics.registry import KPIS
from tests.metrics import builders as b
from tests.metrics.conftest import TODAY
from tests.metrics.kpi_tables import tables_read

pytestmark = pytest.mark.django_db

PERIODS = [P.parse(n) for n in ("FY2024-25", "2024-08", "R12-2025-03")]


def test_every_table_a_kpi_reads_is_in_its_declared_sources():
    b.authority(population={2024: 50_000})
    worker = b.worker(b.team())
    ref = b.referral(b.child(), date(2024, 8, 5), closed_on=date(2024, 9, 1))
    b.allocate(ref, worker, date(2024, 8, 5))
    b.assessment(ref, date(2024, 8, 5), authorised_on=date(2024, 8, 28), worker=worker)
    plan = b.cp_plan(b.child(), date(2024, 8, 1))
    b.visit(plan, date(2024, 8, 26))

    undeclared = {
        k.code: sorted(missing)
        for k in KPIS
        if k.code in SOURCES and (missing := tables_read(k, PERIODS) - SOURCES[k.code])
    }
    assert undeclared == {}


def test_an_assessment_write_recomputes_only_the_kpis_reading_assessments():
    b.authority()
    b.referral(b.child(), date(2024, 1, 5))  # the standard periods start at the first referral
    table = Assessment._meta.db_table
    plan = services.kpi_recompute_plan({table: date(2024, 8, 5)}, today=TODAY)

    assert "assessments_45wd_dfe" in plan and "rate_assessments_per_10k" in plan
    assert "contacts_screened_1wd" not in plan and "cla_count" not in plan
    assert set(plan) == {k.code for k in KPIS if table in SOURCES.get(k.code, {table})}
    periods = plan["assessments_nfa"]
    assert min(p.end for p in periods) >= date(2024, 8, 5)
    assert "2024-08" in {p.name for p in periods} and "2024-07" not in {p.name for p in periods}


def test_a_write_of_unknown_origin_recomputes_every_kpi():
    plan = services.kpi_recompute_plan({None: date(2024, 8, 5)}, today=TODAY)
    assert set(plan) == {k.code for k in KPIS}


def test_a_population_change_recomputes_the_rates():
    plan = services.kpi_recompute_plan({"casework_childpopulation": date(2024, 4, 1)}, today=TODAY)
    assert "rate_referrals_per_10k" in plan and "referrals_nfa" not in plan

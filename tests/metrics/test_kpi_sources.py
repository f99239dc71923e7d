"""The incremental recompute's map from a written table to the KPIs that read it."""

from datetime import date

import pytest

from casework.models import Assessment
from metrics import periods as P
from metrics import services
from metrics.kpi_sources import SOURCES
from metrics.registry import CODES, KPIS
from tests.metrics import builders as b
from tests.metrics.conftest import TODAY
from tests.metrics.kpi_tables import tables_read
from tests.workforce import builders as wb
from workforce.models import CaseSupervision

pytestmark = pytest.mark.django_db

PERIODS = [P.parse(n) for n in ("FY2024-25", "2024-08", "R12-2025-03")]


def test_every_registered_kpi_declares_its_sources():
    # A KPI left out would be recomputed after every write: never wrong, but the
    # incremental job would grow with every KPI added without its sources.
    assert sorted(set(CODES) - set(SOURCES)) == []
    assert sorted(set(SOURCES) - set(CODES)) == []  # no sources for a KPI since removed


def test_the_declared_sources_are_the_tables_each_kpis_sql_reads():
    b.authority(population={2024: 50_000})
    worker = b.worker(b.team())
    ref = b.referral(b.child(), date(2024, 8, 5), closed_on=date(2024, 9, 1))
    b.allocate(ref, worker, date(2024, 8, 5))
    b.assessment(ref, date(2024, 8, 5), authorised_on=date(2024, 8, 28), worker=worker)
    plan = b.cp_plan(b.child(), date(2024, 8, 1))
    b.visit(plan, date(2024, 8, 26))
    # The workforce KPIs read some tables only once there is something to read in them.
    hos = wb.user()
    wb.starter(wb.post(worker.team, hos), hos)
    CaseSupervision.objects.create(
        child=ref.child, worker=worker, supervisor=worker, held_on=date(2024, 8, 20),
        decisions="Continue the plan", next_due_on=date(2024, 9, 20),
    )  # fmt: skip

    read = {k.code: tables_read(k, PERIODS) for k in KPIS}
    undeclared = {code: sorted(t - SOURCES[code]) for code, t in read.items() if t - SOURCES[code]}
    unread = {code: sorted(SOURCES[code] - t) for code, t in read.items() if SOURCES[code] - t}
    assert undeclared == {}
    assert unread == {}


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

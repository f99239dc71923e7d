"""Comparators as data (kind, period, value, source), matched to the period kind; rates
annualised beside annual figures; periods the data does not cover marked partial."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from metrics import periods as P
from metrics import services
from metrics.coverage import data_coverage
from metrics.models import KpiComparator
from tests.metrics import builders as b

pytestmark = pytest.mark.django_db

CSV = """kpi,kind,area,period_kind,period,value,source
icpc_15wd,region,South West,year,2024-25,79.3,DfE CIN 2025 regional tables
icpc_15wd,statistical_neighbours,,quarter,2024-Q3,77.0,Neighbours' Q3 returns
rate_referrals_per_10k,authority,Devon,year,2024-25,480,Devon annual report
"""


def _import(text):
    path = io.StringIO()
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(text)
    call_command("import_kpi_comparators", f.name, stdout=path)
    return path.getvalue()


def test_comparators_import_from_csv_and_reimporting_changes_values_in_place():
    assert "3 comparators loaded" in _import(CSV)
    region = KpiComparator.objects.get(kpi="icpc_15wd", kind="region")
    assert (region.label, region.value, region.period) == (
        "South West 2024-25",
        Decimal("79.3"),
        "2024-25",
    )
    _import(CSV.replace("79.3", "80.1"))
    assert KpiComparator.objects.get(pk=region.pk).value == Decimal("80.1")
    assert KpiComparator.objects.filter(kpi="icpc_15wd").count() == 3  # with England's


def test_a_bad_csv_line_is_reported_and_nothing_is_loaded():
    before = KpiComparator.objects.count()
    bad = CSV + "not_a_kpi,england,,year,2024-25,1,x\nicpc_15wd,region,,year,2024-25,abc,x\n"
    with pytest.raises(CommandError) as failed:
        _import(bad)
    assert "Line 5: not_a_kpi is not a KPI code" in str(failed.value)
    assert "Line 6: name the region or authority" in str(failed.value)
    assert KpiComparator.objects.count() == before


def test_the_dashboard_matches_comparators_to_the_period_and_annualises_rates(hos):
    b.authority(population={2024: 10_000})
    for _ in range(3):
        b.referral(b.child(), date(2024, 11, 4))
    _import(CSV)
    services.kpi_snapshots_compute(periods=[P.parse("2024-11"), P.parse("2024-Q3")],
                                   today=date(2025, 6, 30))  # fmt: skip
    month = hos.get("/kpis/?period=2024-11")
    rows = {r["kpi"].code: r for r in month.context["rows"]}
    assert {c.label for c in rows["icpc_15wd"]["comparators"]} == {
        "England 2024-25",
        "South West 2024-25",
    }  # the quarter's is not a month's figure
    # 3 referrals per 10,000 in November: 36 a year beside England's 520 and Devon's 480.
    assert rows["rate_referrals_per_10k"]["annualised"] == Decimal("36")
    assert "36.0 a year" in month.content.decode()
    quarter = hos.get("/kpis/?period=2024-Q3")
    labels = {c.label for c in {r["kpi"].code: r for r in quarter.context["rows"]}[
        "icpc_15wd"]["comparators"]}  # fmt: skip
    assert "Statistical neighbours 2024-Q3" in labels
    assert {r["kpi"].code: r for r in quarter.context["rows"]}["rate_referrals_per_10k"][
        "annualised"] == Decimal("12")  # fmt: skip


def test_periods_before_the_data_starts_are_marked_partial_with_the_reason(hos):
    b.authority()
    b.referral(b.child(), date(2022, 9, 12))
    b.contact(b.at(date(2023, 12, 4)), [b.child()])
    coverage = data_coverage(today=date(2025, 6, 30))
    fy22, fy23, fy24 = (P.parse(n) for n in ("FY2022-23", "FY2023-24", "FY2024-25"))
    assert "has no data" in coverage.partial_reason("contact_conversion", fy22)
    assert "from 4 December 2023" in coverage.partial_reason("contact_conversion", fy23)
    assert "from 12 September 2022" in coverage.partial_reason("s47_to_icpc", fy22)
    assert coverage.partial_reason("s47_to_icpc", fy23) is None
    assert coverage.partial_reason("contact_conversion", fy24) is None
    assert "not ended" in coverage.partial_reason("s47_to_icpc", P.parse("FY2025-26"))
    page = hos.get("/kpis/?period=FY2022-23").content.decode()
    partial_row = r'class="govuk-table__row [^"]*\bcf-partial\b[^"]*" id="kpi-contact_conversion"'
    assert re.search(partial_row, page)
    assert "No contacts are recorded before 4 December 2023" in page


def test_the_kpi_page_shows_comparators_the_partial_mark_and_the_forecast(hos):
    b.authority()
    b.referral(b.child(), date(2024, 4, 1))
    page = hos.get("/kpis/icpc_15wd/?period=FY2024-25")
    assert page.status_code == 200
    assert [c.label for c in page.context["comparators"]] == ["England 2024-25"]
    assert page.context["forecast"] is not None
    assert "Forecast: the next 10 working days" in page.content.decode()
    assert hos.get("/kpis/referrals_nfa/?period=FY2024-25").context["forecast"] is None


def test_workforce_care_and_early_help_kpis_are_dated_from_their_own_first_record(hos):
    """Each family's early periods are partial from its own first record, not the first
    referral's: contracts, periods of care and early help episodes start later here."""
    from care.models import CarePeriod
    from tests.earlyhelp.builders import episode
    from tests.workforce import builders as wb

    b.authority()
    b.referral(b.child(), date(2022, 9, 12))
    manager = wb.user()
    wb.starter(wb.post(b.team(), manager, valid_from=date(2023, 1, 2)), manager,
               on=date(2023, 5, 15))  # fmt: skip
    episode(b.child(), date(2024, 2, 1))
    coverage = data_coverage(today=date(2025, 6, 30))
    fy22, fy23, fy24 = (P.parse(n) for n in ("FY2022-23", "FY2023-24", "FY2024-25"))
    assert coverage.partial_reason("s47_to_icpc", fy23) is None
    assert "No contracts are recorded before 15 May 2023" in coverage.partial_reason(
        "agency_rate", fy22
    )
    assert "from 15 May 2023" in coverage.partial_reason("agency_rate", fy23)
    assert coverage.partial_reason("agency_rate", fy24) is None
    assert "from 1 February 2024" in coverage.partial_reason("early_help_assessments", fy23)
    assert coverage.partial_reason("early_help_assessments", fy24) is None
    assert not CarePeriod.objects.exists()
    assert coverage.partial_reason("cla_started", fy24) == ("No periods of care are recorded yet")
    page = hos.get("/kpis/?period=FY2022-23").content.decode()
    assert "No contracts are recorded before 15 May 2023" in page

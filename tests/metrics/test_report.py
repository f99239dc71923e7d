"""The quarterly report: sections, figures equal to the snapshots and the database,
constant queries, the XLSX equal to the page, and who may see it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from casework.models import ChildProtectionPlan, Section47Enquiry
from metrics import periods as P
from metrics import report
from metrics.models import KpiSnapshot
from metrics.registry import CODES
from referrals.models import Referral
from tests.metrics.report_data import YEAR, build_year
from tests.metrics.tables import html_tables, xlsx_sheets

pytestmark = pytest.mark.django_db
URL = f"/kpis/report/?year={YEAR.name}"


@pytest.fixture
def hos(client):
    client.force_login(User.objects.create_user(username="hos", role=Role.HEAD_OF_SERVICE))
    return client


def _rows(table, kpi_title):
    return {row[1]: row[2:-1] for row in table.rows if row[0] == kpi_title}


def test_every_kpi_is_in_exactly_one_section():
    codes = [code for section in report.SECTIONS for code in section.codes]
    assert sorted(codes) == sorted(CODES)
    assert [s.title for s in report.SECTIONS] == [
        "Inputs",
        "Processes",
        "Outputs",
        "Children in care",
    ]


def test_the_columns_are_the_baseline_year_each_quarter_and_the_year():
    assert [p.name for p in report.columns(YEAR)] == [
        "FY2023-24", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "FY2024-25",
    ]  # fmt: skip


def test_each_row_is_the_snapshot_quarter_by_quarter_with_direction_of_travel():
    build_year()
    data = report.quarterly_report(YEAR)
    inputs = data["sections"][0]["table"]
    nfa = _rows(inputs, "Referrals ending in no further action")
    # Q1: 1 of 2; Q2: 0 of 1; Q3: 1 of 1; Q4: 0 of 1; the year 2 of 5 (the referral
    # entered in error is in none of them). No referrals in the baseline year: 0 of 0.
    assert nfa["Numerator"] == [0, 1, 0, 1, 0, 2]
    assert nfa["Denominator"] == [0, 2, 1, 1, 1, 5]
    assert nfa["%"] == [None, Decimal("50.0"), Decimal("0.0"), Decimal("100.0"), Decimal("0.0"),
                            Decimal("40.0")]  # fmt: skip
    # Lower is better: Q2 fell (improving), Q3 rose (worsening); Q1 and the year have no
    # earlier figure to compare with.
    assert nfa["Direction of travel"] == [None, None, "down (improving)", "up (worsening)",
                                          "down (improving)", None]  # fmt: skip
    for part in data["sections"]:
        for kpi, rows in part["measures"]:
            for period, num, den in zip(report.columns(YEAR), rows[0][2:-1], rows[1][2:-1],
                                        strict=True):  # fmt: skip
                snap = KpiSnapshot.objects.filter(
                    kpi=kpi.code, period=period.name, scope_type="authority"
                ).first()
                assert (num, den) == ((snap.numerator, snap.denominator) if snap else (None, None))


def test_the_breakdowns_are_the_database_counts_without_records_entered_in_error():
    build_year()
    by_source, by_category, s47, *_ = report.quarterly_report(YEAR)["breakdowns"]
    rows = {row[0]: row for row in by_source.rows}
    assert rows["6"] == ["6", "Police", 3, Decimal("60.0"), 1, Decimal("33.3")]
    assert rows["3A"][2:] == [1, Decimal("20.0"), 1, Decimal("100.0")]
    assert rows["9"][2:] == [0, Decimal("0.0"), 0, None]  # the anonymous one was in error
    assert len(by_source.rows) == 23  # every census source code, then the total
    live = Referral.objects.filter(
        entered_in_error=False, referred_on__gte=YEAR.start, referred_on__lte=YEAR.end
    )
    nfa_year = KpiSnapshot.objects.get(
        kpi="referrals_nfa", period=YEAR.name, scope_type="authority"
    )
    assert rows["Total"][2] == live.count() == nfa_year.denominator == 5
    assert rows["Total"][4] == live.filter(nfa=True).count() == nfa_year.numerator == 2

    categories = {row[0]: row[2:] for row in by_category.rows}
    assert categories["NEG"] == [2, Decimal("66.7")]
    assert categories["PHY"] == [1, Decimal("33.3")]
    assert categories["SAB"] == [0, Decimal("0.0")]
    started = KpiSnapshot.objects.get(
        kpi="cp_repeat_plans", period=YEAR.name, scope_type="authority"
    )
    assert categories["Total"][0] == started.denominator == 3
    assert ChildProtectionPlan.objects.count() == 4  # the fourth was entered in error

    conversion = KpiSnapshot.objects.get(
        kpi="s47_to_icpc", period=YEAR.name, scope_type="authority"
    )
    assert s47.rows[-1] == ["Authority", Decimal(4), Decimal(3), Decimal("75.0")]
    assert (conversion.denominator, conversion.numerator) == (4, 3)
    assert (
        Section47Enquiry.objects.filter(entered_in_error=False).count() == 5
    )  # one on a referral in error
    assert len(s47.rows) == 2  # the one team, then the authority


def _page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("teams", [1, 5])
def test_the_report_issues_the_same_queries_for_1_and_5_teams(hos, teams):
    build_year(teams)
    s47 = report.quarterly_report(YEAR)["breakdowns"][2]
    assert len(s47.rows) == teams + 1
    # Session and user; the request's savepoint pair; the snapshots of every column;
    # referrals by source; plans by category; the section 47 snapshots and their team
    # names; the navigation's worker record; the session save in its savepoint pair;
    # issue 23's breakdowns: contacts by source and outcome, two working-day
    # distributions, repeat plans, and children on a plan at each quarter end (4);
    # targets and comparators (2); the sparklines' months; the report's commentary;
    # the first record of each KPI family, in one query (which columns are partial,
    # page only).
    assert _page_queries(hos, URL) == 13 + 14
    # The download has no navigation.
    assert _page_queries(hos, URL + "&format=xlsx") == 12 + 13


def test_the_xlsx_has_the_same_cells_as_the_page(hos):
    build_year(2)
    page = hos.get(URL)
    assert page.status_code == 200
    download = hos.get(URL + "&format=xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"kpi-report-{YEAR.name}.xlsx" in download["Content-Disposition"]
    sheets = xlsx_sheets(download.content)
    tables = html_tables(page.content.decode())
    assert list(sheets) == ["Inputs", "Processes", "Outputs", "Children in care",
                            "Referrals by source",
                            "Category of abuse", "S47 to ICPC", "Contacts by source",
                            "Contact outcomes", "Assessment working days", "ICPC working days",
                            "Repeat plans by time since last",
                            "On a plan by current category"]  # fmt: skip
    assert len(tables) == len(sheets)
    for table, (title, cells) in zip(tables, sheets.items(), strict=True):
        shown = [["" if text == "–" else text for text in row] for row in table]
        assert shown == cells, title
    police = next(r for r in sheets["Referrals by source"] if r[0] == "6")
    assert police[2:] == ["6", "60", "2", "33.3"]  # two teams: 6 police referrals, 2 NFA


def test_a_bad_year_is_reported_beside_the_field(hos):
    response = hos.get("/kpis/report/?year=2024-Q1")
    assert response.status_code == 200
    page = response.content.decode()
    assert report.YEAR_INVALID in page and "govuk-error-message" in page
    assert hos.get("/kpis/report/?year=nonsense&format=xlsx")["Content-Type"].startswith(
        "text/html"
    )


def test_a_social_worker_is_refused_and_a_head_of_service_allowed(client):
    worker = User.objects.create_user(username="sw", role=Role.SOCIAL_WORKER)
    client.force_login(worker)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "&format=xlsx").status_code == 403
    client.force_login(User.objects.create_user(username="hos", role=Role.HEAD_OF_SERVICE))
    assert client.get(URL).status_code == 200
    assert P.parse(YEAR.name) == client.get(URL).context["year"]

"""KPI pages: access, constant queries, drill-down rows matching the figures, CSV."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from casework.models import Authority
from metrics import periods as P
from metrics import services
from metrics.models import KpiSnapshot, KpiTarget
from tests.metrics import builders as b
from tests.metrics.conftest import TODAY

pytestmark = pytest.mark.django_db

PERIOD = "2024-08"


def _user(role, username=None):
    return User.objects.create_user(username=username or role, password="x", role=role)


def _data(teams: int):
    if not Authority.objects.exists():
        b.authority(population={2024: 50_000})
    for _ in range(teams):
        worker = b.worker(b.team())
        for day in (5, 12, 19):
            ref = b.referral(
                b.child(), date(2024, 8, day), nfa=day == 5, closed_on=date(2024, 9, 2)
            )
            b.allocate(ref, worker, date(2024, 8, day))
            b.assessment(ref, date(2024, 8, day), authorised_on=date(2024, 8, 26), outcome="nfa")
    periods = [P.parse(PERIOD), P.parse(PERIOD).previous()]
    services.kpi_snapshots_compute(periods=periods, today=TODAY)


@pytest.fixture
def hos(client):
    client.force_login(_user(Role.HEAD_OF_SERVICE))
    return client


def test_a_social_worker_cannot_see_the_kpi_pages(client):
    _data(1)
    client.force_login(_user(Role.SOCIAL_WORKER))
    assert client.get("/kpis/").status_code == 403
    assert client.get("/kpis/referrals_nfa/").status_code == 403
    assert client.get(f"/kpis/referrals_nfa/numerator/?period={PERIOD}").status_code == 403


def test_the_dashboard_shows_each_value_with_its_definition_target_and_comparator(hos):
    _data(1)
    KpiTarget.objects.create(kpi="referrals_nfa", value=20, amber_threshold=30)
    response = hos.get(f"/kpis/?period={PERIOD}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Referrals ending in no further action" in page
    assert "Referrals in the period marked" in page  # the definition beside the value
    assert "33.3%" in page and "1 / 3" in page
    assert "govuk-tag--red" in page  # lower is better: 33.3 is beyond the amber 30
    assert "England 2024-25: 85.7" in page


def test_a_bad_period_is_reported_beside_the_form(hos):
    response = hos.get("/kpis/?period=2024-Q9")
    assert response.status_code == 200
    assert P.PERIOD_NAME_INVALID in response.content.decode()


@pytest.mark.parametrize("teams", [1, 60])
def test_the_dashboard_issues_the_same_queries_for_1_and_60_teams(hos, teams):
    _data(teams)
    hos.get(f"/kpis/?period={PERIOD}")
    with CaptureQueriesContext(connection) as ctx:
        assert hos.get(f"/kpis/?period={PERIOD}&scope=authority").status_code == 200
    # The request's savepoint pair (ATOMIC_REQUESTS), session, user, snapshots (this and
    # the previous period together), targets, comparators, active teams for the scope
    # list, the user's worker record (navigation); then the session save in its own
    # savepoint pair; and the first record of each KPI family, in one query (which
    # periods the data covers). When the figures were last computed (the recompute
    # button) comes from the snapshots read: no query (it was a scan of every snapshot).
    assert len(ctx.captured_queries) == 12 + 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/kpis/?period=2024-08",
        "/kpis/referrals_nfa/?period=2024-08",
        "/kpis/assessments_nfa/?period=2024-08",
        "/kpis/referrals_nfa/denominator/?period=2024-08&scope=team:{team}",
        "/kpis/referrals_nfa/denominator/?period=2024-08&scope=team:{team}&format=csv",
        "/kpis/caseload_per_worker/numerator/?period=2024-08&scope=team:{team}",
        "/kpis/caseload/?period=2024-08",
    ],
)
def test_kpi_pages_issue_the_same_queries_for_1_and_60_teams(hos, url):
    _data(1)
    team = KpiSnapshot.objects.filter(scope_type="team").values_list("scope_id", flat=True)[0]
    url = url.format(team=team)
    hos.get(url)
    one = _queries(hos, url)
    _data(59)
    assert KpiSnapshot.objects.filter(kpi="referrals_nfa", scope_type="team").count() == 60
    assert _queries(hos, url) == one


@pytest.mark.parametrize("part", ["numerator", "denominator"])
def test_a_drilldown_list_has_as_many_rows_as_the_figure(hos, part):
    _data(2)
    snap = KpiSnapshot.objects.get(kpi="referrals_nfa", period=PERIOD, scope_type="authority")
    response = hos.get(f"/kpis/referrals_nfa/{part}/?period={PERIOD}&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == int(getattr(snap, part)) == (2 if part == "numerator" else 6)


def test_a_team_drilldown_matches_the_team_figure(hos):
    _data(3)
    snap = KpiSnapshot.objects.filter(
        kpi="assessments_nfa", period=PERIOD, scope_type="team"
    ).first()
    response = hos.get(
        f"/kpis/assessments_nfa/denominator/?period={PERIOD}&scope=team:{snap.scope_id}"
    )
    assert response.status_code == 200
    assert len(response.context["rows"]) == int(snap.denominator) == 3


def test_the_kpi_page_shows_a_12_month_trend_and_the_team_breakdown(hos):
    _data(2)
    response = hos.get(f"/kpis/referrals_nfa/?period={PERIOD}")
    assert response.status_code == 200
    months = [m.name for m, _ in response.context["trend_rows"]]
    assert months[0] == "2023-09" and months[-1] == PERIOD and len(months) == 12
    assert len(response.context["breakdown"]) == 2
    csv_rows = list(csv.reader(io.StringIO(hos.get(
        f"/kpis/referrals_nfa/?period={PERIOD}&format=csv").content.decode())))  # fmt: skip
    assert csv_rows[-1][0] == PERIOD and csv_rows[-1][1:3] == ["2", "6"]


def test_an_unknown_kpi_is_404(hos):
    assert hos.get("/kpis/no_such_kpi/").status_code == 404

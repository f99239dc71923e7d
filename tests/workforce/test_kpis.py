"""Workforce KPIs with known answers: a worker leaving mid-month, a 0.5 FTE agency
worker and a vacancy filled by agency cover (issue 21 acceptance)."""

from datetime import date

import pytest

from casework.models import WorkerRole
from casework.transitions import status_after
from tests.metrics import builders as b
from tests.workforce import builders as w
from tests.workforce.builders import figure
from workforce.codes import AbsenceKind, Grade, LeavingReason
from workforce.models import CaseAudit
from workforce.services import establishment as E

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_of_five():
    """30 June 2024: A (1.0), E (0.5, ASYE) and manager M employed; C agency covering
    B's old post's neighbour vacancy; D agency 0.5; B left on 14 June."""
    b.authority()
    hos = w.user()
    team = b.team()
    a = w.starter(w.post(team, hos), hos)
    leaver = w.starter(w.post(team, hos), hos)
    E.contract_end(contract=leaver, ended_on=date(2024, 6, 14),
                   leaving_reason=LeavingReason.RESIGNED, by=hos)  # fmt: skip
    w.starter(w.post(team, hos), hos, on=date(2024, 3, 1), employment=w.AGENCY)  # cover
    shared = w.post(team, hos)
    w.starter(shared, hos, on=date(2024, 1, 1), fte="0.50", employment=w.AGENCY)
    w.starter(shared, hos, on=date(2024, 2, 1), fte="0.50", nq=True)
    manager = w.starter(w.post(team, hos, role=WorkerRole.TEAM_MANAGER), hos)
    return {"team": team, "hos": hos, "a": a, "manager": manager}


def test_agency_rate_counts_the_half_time_agency_worker_at_half(team_of_five):
    # Agency 1.0 + 0.5 of 4.0 FTE in post at 30 June (the leaver is gone).
    assert figure("agency_rate", "2024-06") == (1.5, 4, 37.5)
    team = ("team", team_of_five["team"].pk)
    assert figure("agency_rate", "2024-06", team, recompute=False)[2] == 37.5
    # 31 May: the leaver (1.0) was still in post.
    assert figure("agency_rate", "2024-05")[2] == 30


def test_agency_cover_does_not_fill_a_vacancy(team_of_five):
    # Vacant: the leaver's post 1.0, the agency-covered post 1.0, the shared post 0.5.
    assert figure("vacancy_rate", "2024-06") == (2.5, 5, 50)
    assert figure("vacancy_rate", "2024-05") == (1.5, 5, 30)


def test_a_worker_leaving_mid_month_counts_in_turnover_from_that_month(team_of_five):
    # Employed FTE at 30 June: 1.0 + 0.5 + 1.0 (manager); the leaver's 1.0 left.
    assert figure("turnover_rate_12m", "R12-2024-06") == (
        1, 2.5, 40,
    )  # fmt: skip
    assert figure("turnover_rate_12m", "R12-2024-05")[0] == 0
    # The leaver is no longer a worker in post, and agency staff are not in turnover.
    assert team_of_five["a"].worker.left_on is None


def test_newly_qualified_share_and_span_of_control(team_of_five):
    assert figure("newly_qualified_share", "2024-06") == (1, 5, 20)
    # The manager line-manages A, the two agency workers and the ASYE worker.
    assert figure("span_of_control", "2024-06") == (4, 1, 4)


def test_sickness_absence_is_days_lost_over_fte_times_working_days(team_of_five):
    hos, a = team_of_five["hos"], team_of_five["a"].worker
    E.absence_record(worker=a, kind=AbsenceKind.SICKNESS, started_on=date(2024, 6, 10),
                     ended_on=date(2024, 6, 12), by=hos)  # fmt: skip
    E.absence_record(worker=a, kind=AbsenceKind.TRAINING, started_on=date(2024, 6, 17),
                     ended_on=date(2024, 6, 17), by=hos)  # fmt: skip
    # 3 sick days of 2.5 employed FTE x 20 working days in June 2024.
    assert figure("absence_rate", "2024-06") == (3, 50, 6)


def test_workers_over_the_caseload_threshold_use_the_caseload_rule(team_of_five):
    from casework.models import Authority

    Authority.objects.update(caseload_threshold=1)
    a = team_of_five["a"].worker
    for _ in range(2):
        b.allocate(b.referral(b.child(), date(2024, 5, 1)), a, date(2024, 5, 2))
    # Case holders in post at 30 June: A and the three others in social worker posts.
    assert figure("workers_over_caseload_threshold", "2024-06") == (1, 4, 1)


def test_audits_good_or_better_use_the_moderated_grade(team_of_five):
    team = team_of_five["team"]
    child = b.child()
    for grade, moderated in ((Grade.GOOD, ""), (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT),
                             (Grade.INADEQUATE, ""), (Grade.OUTSTANDING, "")):  # fmt: skip
        CaseAudit.objects.create(child=child, team=team, status=status_after(CaseAudit, "complete"),
                                 audited_on=date(2024, 6, 3), grade=grade,
                                 moderated_grade=moderated)  # fmt: skip
    assert figure("audits_good_or_better", "2024-06") == (2, 4, 50)
    assert figure("audits_good_or_better", "2024-05") == (0, 0, None)


def test_the_api_serves_the_workforce_kpis_for_a_team(team_of_five):
    from rest_framework.test import APIClient

    figure("agency_rate", "2024-06")
    api = APIClient()
    api.force_authenticate(team_of_five["hos"])
    team = team_of_five["team"]
    rows = api.get("/api/v1/kpis/", {"period": "2024-06", "scope": f"team:{team.pk}"}).json()
    values = {r["kpi"]: r["value"] for r in rows["results"]}
    assert float(values["agency_rate"]) == 37.5

from datetime import date

from casework.models import Assessment
from tests.ui import builders


def _fill(worker, n):
    referrals = builders.caseload(worker, n, referred_on=date(2025, 4, 1))
    builders.assessments(referrals[: n // 2])
    builders.s47s(referrals[n // 2 :], held_on=date(2025, 6, 2))
    builders.cp_plans(referrals[n // 2 :], icpc_on=date(2025, 6, 10))
    return referrals


def test_my_work_lists_every_open_step_soonest_first(alice, login):
    referrals = builders.caseload(alice.worker, 2, referred_on=date(2025, 4, 1))
    builders.assessments(referrals[:1])
    builders.cp_plans(referrals[1:], icpc_on=date(2025, 6, 10))
    response = login(alice).get("/my-work/")
    body = response.content.decode()
    assert "4 steps due or overdue" in body  # assessment + review + core group + visit
    assert body.index("Assessment to be authorised") < body.index("Review conference")
    assert "Due soon" in body or "Due" in body


def test_my_work_shows_overdue_steps_with_working_days_overdue(alice, login):
    referrals = builders.caseload(alice.worker, 1, referred_on=date(2025, 1, 2))
    builders.assessments(referrals)  # due 45 working days after 2 January: long past
    body = login(alice).get("/my-work/").content.decode()
    assert "working days overdue" in body
    assert "govuk-tag--red" in body


def test_my_work_filters_by_kind_and_status(alice, login):
    referrals = builders.caseload(alice.worker, 2, referred_on=date(2025, 4, 1))
    builders.cp_plans(referrals, icpc_on=date(2025, 6, 10))
    body = login(alice).get("/my-work/?kind=visit").content.decode()
    assert "2 steps due or overdue" in body
    assert "Review conference" not in body.split("<table")[1]


def test_my_work_ignores_nonsense_filters(alice, login):
    response = login(alice).get("/my-work/?kind=bad&status=" + "x" * 5000 + "&page=abc")
    assert response.status_code == 200
    # A NUL character is refused with a reason before it reaches PostgreSQL (issue 16).
    assert login(alice).get("/my-work/?kind=%00bad").status_code == 400


def test_my_work_does_not_list_other_workers_children(alice, olive, login):
    referrals = builders.caseload(olive.worker, 3, referred_on=date(2025, 4, 1))
    builders.assessments(referrals)
    body = login(alice).get("/my-work/").content.decode()
    assert "0 steps due or overdue" in body


def test_my_work_query_count_is_the_same_for_10_and_1000_children(alice, olive, login):
    client = login(alice)
    _fill(alice.worker, 10)
    small = builders.page_reads(client, "/my-work/")
    _fill(alice.worker, 990)
    large = builders.page_reads(client, "/my-work/")
    # session, user, worker, assessments, s47s awaiting ICPC, active CP plans, periods of
    # care (registered by the care app); then the records at risk (issue 23): one query
    # per timeliness KPI (6), the authority's visit standard and the children named.
    assert small == large == 7 + 8


def test_authorised_assessments_are_not_listed(alice, login):
    referrals = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    builders.assessments(referrals, status=Assessment.Status.AUTHORISED)
    assert "0 steps due" in login(alice).get("/my-work/").content.decode()

"""Forecasts of breaches in the next 10 working days, on a pinned clock."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from casework.models import Assessment
from metrics import forecast
from metrics import periods as P
from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db

# Friday 20 December 2024: Christmas Day, Boxing Day and New Year's Day fall in the
# horizon, so the 10th working day is Wednesday 8 January 2025 (not Friday 3 January).
FRIDAY = date(2024, 12, 20)


def _assessment_due(due_on, *, authorised_on=None, worker=None):
    ref = b.referral(b.child(), date(2024, 10, 1))
    if worker is not None:
        b.allocate(ref, worker, date(2024, 10, 1))
    made = b.assessment(ref, date(2024, 10, 2), authorised_on=authorised_on)
    Assessment.objects.filter(pk=made.pk).update(due_on=due_on)
    return made


def test_the_horizon_counts_working_days_over_the_bank_holidays():
    b.authority()
    w, other = b.worker(), b.worker()
    last_day = _assessment_due(date(2025, 1, 8), worker=w)
    _assessment_due(date(2025, 1, 9), worker=w)  # beyond the horizon
    _assessment_due(date(2024, 12, 19), worker=w)  # already overdue: breached
    _assessment_due(date(2024, 12, 30), authorised_on=date(2024, 12, 18))  # done, late
    b.in_error(_assessment_due(date(2024, 12, 23)))
    risks, until = forecast.at_risk("assessments_45wd_from_referral", today=FRIDAY)
    assert until == date(2025, 1, 8)
    assert [(r.record_id, r.working_days_left, r.worker_id) for r in risks] == [
        (last_day.pk, 10, w.pk)
    ]
    assert forecast.at_risk("assessments_45wd_from_referral", today=FRIDAY,
                            scope_type="worker", scope_id=other.pk)[0] == []  # fmt: skip
    made = forecast.kpi_forecast(
        "assessments_45wd_from_referral", today=FRIDAY, period=P.parse("FY2024-25")
    )
    # One authorised (late) so far: 0%; the at-risk one done by 8 January would make 50%.
    assert made.projected_value == 0 and made.projected_value_if_all_on_time == 50


def test_kpi_forecast_command_prints_exactly_the_contract_keys():
    b.authority()
    w = b.worker()
    _assessment_due(date(2024, 12, 20), worker=w)
    out = io.StringIO()
    call_command("kpi_forecast", "--kpi", "assessments_45wd_from_referral", "--scope",
                 f"worker:{w.pk}", "--format", "json", "--today", "2024-12-20",
                 stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert set(data) == {"kpi", "scope", "horizon_working_days", "at_risk", "projected_value",
                         "projected_value_if_all_on_time"}  # fmt: skip
    assert data["kpi"] == "assessments_45wd_from_referral"
    assert data["scope"] == f"worker:{w.pk}" and data["horizon_working_days"] == 10
    assert [r["due_on"] for r in data["at_risk"]] == ["2024-12-20"]
    assert data["at_risk"][0]["working_days_left"] == 0


def test_reviews_visits_and_core_groups_due_in_the_horizon():
    b.authority(visit_standard=10)
    sw = b.worker()
    # ICPC 20 September: first review due 20 December (today).
    review_due = b.cp_plan(b.child(), date(2024, 9, 20))
    b.cp_plan(b.child(), date(2024, 9, 23))  # review due 23 December: also in the horizon
    reviewed = b.cp_plan(b.child(), date(2024, 9, 20))
    b.review(reviewed, due_on=date(2024, 12, 20), held_on=date(2024, 12, 18))  # next: June
    # Seen by a social worker 16 December: next visit due 2 January (10 working days).
    seen = b.cp_plan(b.child(), date(2024, 12, 2))
    b.visit(seen, date(2024, 12, 16), worker=sw)
    # A plan varied to 20 working days, seen 16 December: due 16 January, not at risk.
    varied = b.cp_plan(b.child(), date(2024, 12, 2), visit_standard_working_days=20)
    b.visit(varied, date(2024, 12, 16), worker=sw)
    reviews, _ = forecast.at_risk("cp_reviews_in_time", today=FRIDAY)
    assert [r.due_on for r in reviews] == [date(2024, 12, 20), date(2024, 12, 23)]
    assert reviews[0].record_id == review_due.pk
    visits, _ = forecast.at_risk("cp_visits_in_time", today=FRIDAY)
    assert {(r.record_id, r.due_on) for r in visits} >= {(seen.pk, date(2025, 1, 2))}
    assert varied.pk not in {r.record_id for r in visits}
    # ICPC 16 December: first core group due 2 January. The plans started 2 December
    # had theirs due 16 December: overdue, breached already, not "at risk".
    recent = b.cp_plan(b.child(), date(2024, 12, 16))
    core, _ = forecast.at_risk("first_core_group_10wd", today=FRIDAY)
    assert [(r.record_id, r.due_on) for r in core] == [(recent.pk, date(2025, 1, 2))]


@pytest.mark.parametrize("code", forecast.CODES)
def test_yesterdays_forecast_for_a_closed_period_equals_the_measured_value(code):
    b.authority(visit_standard=10)
    sw = b.worker()
    # December 2024: some steps done in time, some late, and some due in January.
    for referred in (date(2024, 10, 1), date(2024, 10, 21), date(2024, 11, 4)):
        ref = b.referral(b.child(), referred)
        b.allocate(ref, sw, referred)
        b.assessment(ref, referred, authorised_on=date(2024, 12, 16))
    b.assessment(b.referral(b.child(), date(2024, 11, 4)), date(2024, 11, 4))  # open
    b.icpc(b.s47(b.referral(b.child(), date(2024, 12, 2)), date(2024, 12, 2)),
           date(2024, 12, 10))  # fmt: skip
    b.icpc(b.s47(b.referral(b.child(), date(2024, 11, 25)), date(2024, 11, 25)),
           date(2024, 12, 20))  # fmt: skip
    b.s47(b.referral(b.child(), date(2024, 12, 12)), date(2024, 12, 12))  # ICPC due 6 Jan
    p = b.cp_plan(b.child(), date(2024, 9, 2))
    b.review(p, due_on=date(2024, 12, 2), held_on=date(2024, 12, 3))
    b.cp_plan(b.child(), date(2024, 10, 3))  # first review due 3 January
    visited = b.cp_plan(b.child(), date(2024, 12, 2))
    b.visit(visited, date(2024, 12, 16), worker=sw)
    b.visit(visited, date(2024, 12, 31), worker=sw)
    b.cp_plan(b.child(), date(2024, 12, 20))  # first core group due 7 January
    yesterday = date(2024, 12, 31)
    made = forecast.kpi_forecast(code, today=yesterday, period=P.parse("2024-12"))
    assert made.at_risk, "the world should leave something at risk for every KPI"
    measured = figure(code, "2024-12")[2]
    assert (None if made.projected_value is None else float(made.projected_value)) == measured


def test_the_kpi_page_names_the_at_risk_children_the_user_may_see_and_audits_them(client):
    """A team manager sees their own team's child named and linked (audited), and the
    other team's child counted but not named."""
    import time_machine

    from accounts.models import AuditEvent, Role, User
    from casework.models import WorkerRole

    b.authority(visit_standard=10)
    ours, theirs = b.team(), b.team()
    user = User.objects.create_user(username="tm1", role=Role.TEAM_MANAGER)
    ours.manager = b.worker(ours, role=WorkerRole.TEAM_MANAGER, user=user)
    ours.save()
    amara, hidden = b.child(), b.child()
    amara.first_name, amara.last_name = "Amara", "Okafor"
    hidden.first_name = "Hidden"
    amara.save(), hidden.save()
    seen = b.cp_plan(amara, date(2024, 9, 20))
    unseen = b.cp_plan(hidden, date(2024, 9, 23))
    b.allocate(seen.referral, b.worker(ours), date(2024, 9, 2))
    b.allocate(unseen.referral, b.worker(theirs), date(2024, 9, 2))
    client.force_login(user)
    with time_machine.travel(b.at(FRIDAY), tick=False):
        page = client.get("/kpis/cp_reviews_in_time/?period=2024-12")
    html = page.content.decode()
    assert page.status_code == 200 and len(page.context["forecast"].at_risk) == 2
    assert f'href="/children/{seen.child_id}/">Amara Okafor</a>' in html
    assert "Hidden" not in html
    assert "1 record at risk about children you cannot see: counted, not named" in html
    audited = AuditEvent.objects.filter(user=user, action=AuditEvent.Action.VIEW)
    assert set(audited.values_list("child_id", flat=True)) == {seen.child_id}

"""Establishment, supervision and audit services: guards, history and known answers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.models import Role
from casework.errors import DomainError, DomainPermissionError
from casework.models import Worker, WorkerRole
from tests.metrics import builders as b
from tests.workforce import builders as w
from tests.workforce.builders import figure
from workforce import errors
from workforce.codes import AUDIT_QUESTIONS, Grade, LeavingReason
from workforce.models import CaseAudit, CaseSupervision, Contract
from workforce.services import audits as A
from workforce.services import establishment as E
from workforce.services import supervision as S

pytestmark = pytest.mark.django_db
ALL_GOOD = {key: Grade.GOOD for key, _, _ in AUDIT_QUESTIONS}


@pytest.fixture
def team():
    b.authority()
    return b.team()


def manager_of(team, username="tm"):
    user = w.user(Role.TEAM_MANAGER)
    worker = b.worker(team, role=WorkerRole.TEAM_MANAGER, user=user)
    team.manager = worker
    team.save()
    return user


def test_a_starter_fills_a_post_and_becomes_a_worker_with_history(team):
    hos = w.user()
    contract = w.starter(w.post(team, hos), hos, fte="0.80", nq=True)
    worker = Worker.objects.get(pk=contract.worker_id)
    assert (worker.team, worker.fte, worker.newly_qualified) == (team, Decimal("0.80"), True)
    assert contract.history.get().history_user == hos


def test_a_post_cannot_be_filled_beyond_its_budget_and_nothing_is_saved(team):
    hos = w.user()
    post = w.post(team, hos, fte="0.50")
    with pytest.raises(DomainError) as refused:
        w.starter(post, hos, fte="0.60")
    assert refused.value.message == errors.POST_OVERFILLED.format(free=Decimal("0.50"))
    assert (Contract.objects.count(), Worker.objects.count()) == (0, 0)


def test_a_team_manager_maintains_only_their_own_team_and_business_support_any(team):
    other = b.team()
    tm = manager_of(team)
    w.post(team, tm)
    with pytest.raises(DomainPermissionError):
        w.post(other, tm)
    w.post(other, w.user(Role.BUSINESS_SUPPORT))
    with pytest.raises(DomainPermissionError):
        w.post(team, w.user(Role.SOCIAL_WORKER))


def test_a_leaver_holding_children_is_refused_until_reallocated(team):
    hos = w.user()
    contract = w.starter(w.post(team, hos), hos)
    b.allocate(b.referral(b.child(), date(2024, 5, 1)), contract.worker, date(2024, 5, 2))
    with pytest.raises(DomainError) as refused:
        E.contract_end(contract=contract, ended_on=date(2024, 6, 14),
                       leaving_reason=LeavingReason.RESIGNED, by=hos)  # fmt: skip
    assert refused.value.message == errors.STILL_ALLOCATED.format(n=1)
    contract.refresh_from_db()
    assert contract.ended_on is None and Worker.objects.get().left_on is None


def test_case_supervision_is_due_again_by_the_standard_and_only_the_manager_records_it(team):
    tm = manager_of(team)
    sw_user = w.user(Role.SOCIAL_WORKER)
    sw = b.worker(team, user=sw_user)
    child = b.child()
    b.allocate(b.referral(child, date(2024, 5, 1)), sw, date(2024, 5, 2))
    row = S.case_supervision_record(child=child, held_on=date(2024, 6, 3), decisions="Visit",
                                    by=tm)  # fmt: skip
    assert (row.worker, row.next_due_on) == (sw, date(2024, 7, 1))
    with pytest.raises(DomainPermissionError):
        S.case_supervision_record(child=child, held_on=date(2024, 6, 3), decisions="x",
                                  by=sw_user)  # fmt: skip
    assert CaseSupervision.objects.count() == 1


def test_a_newly_qualified_worker_is_supervised_fortnightly(team):
    tm = manager_of(team)
    nq = b.worker(team, newly_qualified=True)
    row = S.worker_supervision_record(worker=nq, held_on=date(2024, 6, 3), notes="ASYE", by=tm)
    assert row.next_due_on == date(2024, 6, 17)


def test_supervision_in_time_counts_children_supervised_within_the_standard(team):
    tm = manager_of(team)
    sw = b.worker(team)
    fresh, late, recent = b.child(), b.child(), b.child()
    for child, on in ((fresh, date(2024, 4, 1)), (late, date(2024, 4, 1)),
                      (recent, date(2024, 6, 20))):  # fmt: skip
        b.allocate(b.referral(child, on), sw, on)
    S.case_supervision_record(child=fresh, held_on=date(2024, 6, 20), decisions="a", by=tm)
    S.case_supervision_record(child=late, held_on=date(2024, 5, 1), decisions="b", by=tm)
    # fresh in time, late not (60 days), recent allocated 10 days ago: 2 of 3.
    assert figure("supervision_in_time", "2024-06")[:2] == (2, 3)
    # Before the first recorded supervision the measure is not computed.
    assert figure("supervision_in_time", "2024-04") == (0, 0, None)


def test_an_audit_is_moderated_by_a_second_auditor_keeping_both_grades(team):
    tm, auditor = manager_of(team), w.user(Role.AUDITOR)
    child = b.child()
    b.allocate(b.referral(child, date(2024, 5, 1)), b.worker(team), date(2024, 5, 2))
    audit = A.audit_start(child=child, by=tm)
    A.audit_complete(audit=audit, answers=ALL_GOOD, grade=Grade.GOOD, findings="ok",
                     audited_on=date(2024, 6, 3), by=tm)  # fmt: skip
    with pytest.raises(DomainPermissionError):
        A.audit_moderate(audit=audit, grade=Grade.INADEQUATE, notes="",
                         moderated_on=date(2024, 6, 10), by=tm)  # fmt: skip
    A.audit_moderate(audit=audit, grade=Grade.REQUIRES_IMPROVEMENT, notes="Plan vague",
                     moderated_on=date(2024, 6, 10), by=auditor)  # fmt: skip
    audit.refresh_from_db()
    assert (audit.grade, audit.final_grade) == (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT)


def test_an_audit_needs_every_question_graded(team):
    tm = manager_of(team)
    child = b.child()
    b.allocate(b.referral(child, date(2024, 5, 1)), b.worker(team), date(2024, 5, 2))
    audit = A.audit_start(child=child, by=tm)
    with pytest.raises(DomainError, match=errors.ANSWER_EVERY_QUESTION):
        A.audit_complete(audit=audit, answers={"child_seen": Grade.GOOD}, grade=Grade.GOOD,
                         findings="", audited_on=date(2024, 6, 3), by=tm)  # fmt: skip
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.DRAWN


def test_the_monthly_sample_draws_each_team_once(team):
    worker = b.worker(team)
    for _ in range(5):
        b.allocate(b.referral(b.child(), date(2024, 5, 1)), worker, date(2024, 5, 2))
    drawn = A.audit_sample_draw(month=date(2024, 6, 12))
    assert len(drawn) == 2 and {a.sample_month for a in drawn} == {date(2024, 6, 1)}
    assert A.audit_sample_draw(month=date(2024, 6, 1)) == []
    assert len(A.audit_sample_draw(month=date(2024, 6, 1) + timedelta(days=31))) == 2


@pytest.mark.kpi_incremental
def test_a_back_dated_post_queues_the_kpi_recompute_from_its_date(team):
    """Workforce writes reach metrics through the domain's record_dated signal."""
    from django.db import connection

    from metrics.services import _PendingRecompute

    w.post(team, w.user(), valid_from=date(2024, 5, 1))
    (pending,) = [e[1] for e in connection.run_on_commit if isinstance(e[1], _PendingRecompute)]
    assert pending.days == {date(2024, 5, 1)}


def test_a_social_work_starter_needs_a_valid_swe_number_no_one_else_holds(team):
    hos = w.user()
    post = w.post(team, hos, fte="3.00")
    start = {
        "post": post, "started_on": date(2024, 1, 8), "fte": Decimal("1"),
        "employment": w.PERMANENT, "first_name": "Nia", "last_name": "New", "by": hos,
    }  # fmt: skip
    for number, message in (
        ("", errors.SWE_REQUIRED),
        ("123456", "Enter the Social Work England registration number: SW followed by digits, "
                   "e.g. SW123456"),
    ):  # fmt: skip
        with pytest.raises(DomainError) as refused:
            E.contract_start(**start, swe_registration=number)
        assert (refused.value.field, refused.value.message) == ("swe_registration", message)
    assert (Contract.objects.count(), Worker.objects.count()) == (0, 0)
    first = E.contract_start(**start, swe_registration=" sw123456 ")
    assert Worker.objects.get(pk=first.worker_id).swe_registration == "SW123456"
    with pytest.raises(DomainError) as refused:
        E.contract_start(**start, swe_registration="SW123456")
    assert refused.value.message == errors.SWE_TAKEN.format(
        staff_id=first.worker.staff_id, number="SW123456")  # fmt: skip
    support = w.post(team, hos, role=WorkerRole.FAMILY_SUPPORT)
    with pytest.raises(DomainError) as refused:
        E.contract_start(**{**start, "post": support}, swe_registration="SW654321")
    assert refused.value.message == errors.SWE_NOT_SOCIAL_WORK
    assert E.contract_start(**{**start, "post": support}).worker.swe_registration == ""
    assert Worker.objects.count() == 2

import re
from datetime import date, timedelta

from casework.models import Allocation, Assessment, Deadline, VisitKind
from casework.tables import time_left_text
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
    assert "Review conference" not in body.split('id="steps"')[1].split("<table")[1]


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
    # session, user, worker, the visible caseload's ids (resolved once, issue 25),
    # assessments, s47s awaiting ICPC, active CP plans, active CIN plans (their visits
    # due), periods of care and care leavers (registered by the care app), children; then
    # the records at risk (issue 23, one statement since issue 25): the authority's visit
    # standard and the children.
    assert small == large == 11 + 2


def test_authorised_assessments_are_not_listed(alice, login):
    referrals = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    builders.assessments(referrals, status=Assessment.Status.AUTHORISED)
    assert "0 steps due" in login(alice).get("/my-work/").content.decode()


def _caseload_section(body: str) -> str:
    return body.split("My caseload")[1].split('id="steps"')[0]


def test_my_work_lists_every_child_allocated_to_the_worker_even_with_nothing_due(
    alice, olive, login
):
    quiet = builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))  # nothing due
    busy = builders.caseload(alice.worker, 2, referred_on=date(2025, 4, 1))
    builders.assessments(busy[:1])
    builders.cp_plans(busy[1:], icpc_on=date(2025, 6, 10))
    ended = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    Allocation.objects.filter(referral=ended[0]).update(ended_on=date(2025, 5, 1))
    others = builders.caseload(olive.worker, 2, referred_on=date(2025, 4, 1))
    body = login(alice).get("/my-work/").content.decode()
    section = _caseload_section(body)
    for r in quiet + busy:
        assert f"/children/{r.child_id}/" in section
    for r in ended + others:
        assert f"/children/{r.child_id}/" not in body
    assert "5 children allocated to you" in body
    assert "Child protection plan (NEG) from 10 Jun 2025" in section
    assert "Nothing due" in section


def test_my_work_caseload_rows_link_to_the_form_of_the_next_step(alice, login):
    referrals = builders.caseload(alice.worker, 2, referred_on=date(2025, 4, 1))
    (assessment,) = builders.assessments(referrals[:1])
    (plan,) = builders.cp_plans(referrals[1:], icpc_on=date(2025, 6, 10))
    client = login(alice)
    section = _caseload_section(client.get("/my-work/").content.decode())
    assert f"/assessments/{assessment.pk}/seen/" in section
    # The plan's soonest step is its first core group (10 working days after the ICPC).
    assert f"/plans/{plan.pk}/core-group/" in section
    # The visit link opens the visit form with the kind already chosen.
    page = client.get(f"/referrals/{plan.referral_id}/visit/?kind=cp").content.decode()
    cp = VisitKind.CP
    assert re.search(rf'value="{cp}"[^>]*checked|checked[^>]*value="{cp}"', page)


def test_my_work_lists_the_most_urgent_child_first(alice, login):
    later = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))
    builders.assessments(later)
    sooner = builders.caseload(alice.worker, 1, referred_on=date(2025, 1, 2))
    builders.assessments(sooner)  # long overdue
    section = _caseload_section(login(alice).get("/my-work/").content.decode())
    assert section.index(f"/children/{sooner[0].child_id}/") < section.index(
        f"/children/{later[0].child_id}/"
    )
    assert "working days overdue" in section


def test_time_left_never_says_due_today_beside_overdue():
    friday = date(2025, 6, 13)
    saturday = friday + timedelta(days=1)
    # No working day has passed since Friday's due date, yet the step is overdue.
    status = Deadline.status(due_on=friday, done_on=None, today=saturday)
    assert status == Deadline.OVERDUE
    text = time_left_text(days=0, status=status, due_on=friday)
    assert text == "Overdue since 13 Jun 2025"
    assert time_left_text(days=0, status=Deadline.DUE_SOON, due_on=saturday) == "Due today"
    assert time_left_text(days=-2, status=Deadline.OVERDUE) == "2 working days overdue"


def test_a_cin_visit_is_due_20_working_days_after_the_child_was_last_seen(alice, login):
    from casework.calendar import add_working_days
    from casework.models import CINPlan
    from casework.services.visits import visit_record

    seen, not_seen, new = builders.caseload(alice.worker, 3, referred_on=date(2025, 3, 3))
    for referral in (seen, not_seen, new):
        started = date(2025, 6, 13) if referral is new else date(2025, 4, 1)
        CINPlan.objects.create(child_id=referral.child_id, referral=referral, started_on=started)
    visit_record(referral=seen, by=alice, kind=VisitKind.CIN, visited_on=date(2025, 6, 2),
                 child_seen=True)  # fmt: skip
    visit_record(referral=not_seen, by=alice, kind=VisitKind.CIN, visited_on=date(2025, 6, 2),
                 child_seen=False)  # fmt: skip

    response = login(alice).get("/my-work/?kind=cin_visit")

    due = {i.child.pk: (i.due_on, i.status) for i in response.context["table"].data.data}
    assert due == {
        seen.child_id: (add_working_days(date(2025, 6, 2), 20), Deadline.DUE),
        not_seen.child_id: (add_working_days(date(2025, 4, 1), 20), Deadline.OVERDUE),
        new.child_id: (add_working_days(date(2025, 6, 13), 20), Deadline.DUE),
    }
    body = response.content.decode()
    assert "Child in need visit" in body
    assert f"/referrals/{not_seen.pk}/visit/?kind=cin" in body

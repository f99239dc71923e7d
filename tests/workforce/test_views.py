"""Workforce pages: who sees what, forms with errors beside the field, constant queries."""

import secrets
from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role
from casework.models import Worker
from tests.ui import builders as ui
from tests.workforce import builders as w
from workforce import errors, kpi_figures
from workforce.codes import AUDIT_QUESTIONS, Grade
from workforce.models import CaseAudit, Contract, WorkerSupervision
from workforce.services import audits as A
from workforce.services import supervision as S

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    """A form as the page sends it: with a fresh one-time form token."""
    return client.post(url, {"form_token": secrets.token_urlsafe(12), **(data or {})})


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_a_manager_sees_their_own_team_only_and_social_workers_are_refused(
    mary, alice, olive, login, team
):
    w.post(team, mary)
    body = login(mary).get("/workforce/").content.decode()
    assert "Assessment 1" in body and "Safeguarding 9" not in body
    assert login(mary).get(f"/workforce/teams/{olive.worker.team_id}/").status_code == 404
    assert login(alice).get("/workforce/").status_code == 403


def test_a_starter_fills_a_vacant_post_and_overfilling_is_an_error_beside_the_field(mary, login):
    post = w.post(mary.worker.team, mary, fte="1.00")
    client = login(mary)
    data = {"first_name": "Sam", "last_name": "Starter", "staff_id": "", "fte": "1.20",
            "employment": "agency", "newly_qualified": "no", "swe_registration": "",
            **_date("started_on", date(2025, 6, 2))}  # fmt: skip
    response = _post(client, f"/workforce/posts/{post.pk}/starter/", data)
    assert ui.error_beside(response.content.decode(), "fte", "FTE must be 1.00 or less")
    data["fte"] = "0.60"
    # A social worker's post: the Social Work England number is asked for beside its field.
    response = _post(client, f"/workforce/posts/{post.pk}/starter/", data)
    assert ui.error_beside(response.content.decode(), "swe_registration", errors.SWE_REQUIRED)
    assert not Contract.objects.exists()
    data["swe_registration"] = "sw123456"
    assert _post(client, f"/workforce/posts/{post.pk}/starter/", data).status_code == 302
    contract = Contract.objects.get()
    assert (contract.fte, contract.worker.last_name) == (Decimal("0.60"), "Starter")
    assert contract.worker.swe_registration == "SW123456"
    data.update(fte="0.50", first_name="Second")
    response = _post(client, f"/workforce/posts/{post.pk}/starter/", data)
    assert ui.error_beside(response.content.decode(), "fte",
                           "This post has 0.40 FTE free: reduce the FTE or add a post")  # fmt: skip
    assert Contract.objects.count() == 1


def test_business_support_maintain_the_establishment_of_any_team(olive, login):
    support = w.user(Role.BUSINESS_SUPPORT)
    response = _post(login(support),
        f"/workforce/teams/{olive.worker.team_id}/posts/new/",
        {"role": "social_worker", "title": "", "budgeted_fte": "1.00",
         **_date("valid_from", date(2025, 4, 1))},
    )  # fmt: skip
    assert response.status_code == 302


def test_a_social_worker_sees_their_own_supervision_and_never_anothers(alice, mary, team, login):
    bob = ui.user_with_worker("bob", Role.SOCIAL_WORKER, team)
    S.worker_supervision_record(worker=alice.worker, held_on=date(2025, 6, 2),
                                notes="Alice's wellbeing", by=mary)  # fmt: skip
    S.worker_supervision_record(worker=bob.worker, held_on=date(2025, 6, 2),
                                notes="Bob's caseload", by=mary)  # fmt: skip
    body = login(alice).get("/workforce/my-supervision/").content.decode()
    assert "Alice&#x27;s wellbeing" in body and "Bob" not in body
    assert login(alice).get("/workforce/supervision/").status_code == 403
    url = f"/workforce/workers/{bob.worker.pk}/supervision/"
    assert login(alice).get(url).status_code == 403


def test_the_manager_records_case_supervision_on_the_childs_record(alice, mary, login):
    child = ui.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))[0].child
    client = login(mary)
    data = {"decisions": "Visit weekly", **_date("held_on", date(2025, 6, 13))}
    response = _post(client, f"/workforce/children/{child.pk}/supervision/", data)
    assert response.status_code == 302
    body = client.get(f"/children/{child.pk}/").content.decode()
    assert "Visit weekly" in body and "11 Jul 2025" in body
    # Overdue queue: the child is no longer listed once supervised.
    assert child.full_name not in client.get("/workforce/supervision/").content.decode()


def test_audits_follow_the_childs_visibility(alice, mary, olive, login):
    mine = ui.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))[0].child
    theirs = ui.caseload(olive.worker, 1, referred_on=date(2025, 4, 1))[0].child
    answers = {key: Grade.GOOD for key, _, _ in AUDIT_QUESTIONS}
    for child in (mine, theirs):
        A.audit_record(child=child, answers=answers, grade=Grade.GOOD, findings="",
                       audited_on=date(2025, 6, 2), by=w.user(Role.AUDITOR))  # fmt: skip
    body = login(mary).get("/workforce/audits/").content.decode()
    assert mine.full_name in body and theirs.full_name not in body
    other = CaseAudit.objects.get(child=theirs)
    url = f"/workforce/children/{theirs.pk}/audits/{other.pk}/moderate/"
    assert login(mary).get(url).status_code == 404


def test_an_audit_is_recorded_from_the_form_with_every_question_graded(alice, henry, login):
    child = ui.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))[0].child
    data = {f"q_{key}": Grade.GOOD for key, _, _ in AUDIT_QUESTIONS}
    data.update(
        grade=Grade.OUTSTANDING, findings="Strong plan", **_date("audited_on", date(2025, 6, 2))
    )
    response = _post(login(henry), f"/workforce/children/{child.pk}/audit/", data)
    assert response.status_code == 302
    audit = CaseAudit.objects.get()
    assert (audit.grade, audit.worker, audit.auditor) == (Grade.OUTSTANDING, alice.worker, henry)


def test_the_workforce_page_reads_the_same_number_of_queries_for_3_and_30_staff(henry, login, team):
    client = login(henry)
    post = w.post(team, henry, fte="1.00")
    for _ in range(3):
        w.starter(w.post(team, henry), henry)
    w.starter(post, henry, fte="0.5", employment=w.AGENCY)
    ui.analyze()
    small = ui.page_reads(client, "/workforce/")
    for _ in range(27):
        w.starter(w.post(ui.team(), henry), henry)
    ui.analyze()
    large = ui.page_reads(client, "/workforce/")
    assert small == large
    assert Worker.objects.count() > 30 and WorkerSupervision.objects.count() == 0


def test_the_capacity_model_counts_the_fte_needed_to_bring_caseloads_to_target(
    alice, mary, login, team
):
    from casework.models import Authority

    Authority.objects.update(caseload_threshold=20)
    half = ui.user_with_worker("bob", Role.SOCIAL_WORKER, team, fte=Decimal("0.50"))
    ui.caseload(alice.worker, 30, referred_on=date(2025, 4, 1))
    ui.caseload(half.worker, 15, referred_on=date(2025, 4, 1))
    row = kpi_figures.workforce_figures(teams=[team], on=date(2025, 6, 16))[0]
    # 45 children at 20 per FTE need 2.25 FTE; 1.5 FTE hold cases now.
    expected = (45, Decimal("1.5"), Decimal("30.0"))
    assert (row.children, row.case_holding_fte, row.caseload_per_fte) == expected
    assert row.workers_needed == Decimal("0.8")


def test_the_supervision_queue_and_audit_list_read_constant_queries(alice, mary, login, team):
    from tests.workforce.test_services import ALL_GOOD

    client = login(mary)

    def grow(n):
        for child in [r.child for r in ui.caseload(alice.worker, n, referred_on=date(2025, 4, 1))]:
            A.audit_record(child=child, answers=ALL_GOOD, grade=Grade.GOOD, findings="",
                           audited_on=date(2025, 6, 2), by=w.user(Role.AUDITOR))  # fmt: skip
        ui.analyze()
        return [ui.page_reads(client, url) for url in ("/workforce/supervision/",
                                                        "/workforce/audits/")]  # fmt: skip

    assert grow(2) == grow(40)


def test_an_audit_action_is_listed_until_marked_done(alice, mary, login):
    from tests.workforce.test_services import ALL_GOOD

    child = ui.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))[0].child
    auditor = w.user(Role.AUDITOR)
    audit = A.audit_record(child=child, answers=ALL_GOOD, grade=Grade.REQUIRES_IMPROVEMENT,
                           findings="", audited_on=date(2025, 6, 2), by=auditor)  # fmt: skip
    action = A.audit_action_add(audit=audit, description="Update the chronology",
                                owner=alice.worker, due_on=date(2025, 6, 9), by=mary)  # fmt: skip
    client = login(mary)
    assert "Update the chronology" in client.get("/workforce/audits/").content.decode()
    url = f"/workforce/children/{child.pk}/audits/{audit.pk}/actions/{action.pk}/done/"
    assert _post(client, url).status_code == 302
    action.refresh_from_db()
    assert action.done_on == date(2025, 6, 16)
    assert "Update the chronology" not in client.get("/workforce/audits/").content.decode()


def test_a_vacant_post_is_closed_and_leaves_the_establishment(mary, login):
    post = w.post(mary.worker.team, mary)
    client = login(mary)
    response = _post(
        client, f"/workforce/posts/{post.pk}/close/", _date("valid_to", date(2025, 6, 13))
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.valid_to == date(2025, 6, 13)
    assert "Close the post" not in client.get(f"/workforce/teams/{post.team_id}/").content.decode()


def test_the_managers_home_links_overdue_supervision(alice, mary, login):
    ui.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    body = login(mary).get("/", follow=True).content.decode()
    assert "Supervision: 3 children and 1 member of staff overdue" in body


def test_the_audits_page_offers_the_steps_each_audits_status_allows(alice, henry, login):
    """Drawn: audit it; completed: moderate it or add an action; moderated: an action only
    (the state machine's transitions, not statuses written out in the template)."""
    drawn, completed, moderated = (
        c.child for c in ui.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    )
    answers = {key: Grade.GOOD for key, _, _ in AUDIT_QUESTIONS}
    auditor = w.user(Role.AUDITOR)
    audits = {"drawn": A.audit_start(child=drawn, by=henry)}
    for name, child in (("completed", completed), ("moderated", moderated)):
        audits[name] = A.audit_record(child=child, answers=answers, grade=Grade.GOOD, findings="",
                                      audited_on=date(2025, 6, 2), by=auditor)  # fmt: skip
    A.audit_moderate(audit=audits["moderated"], grade=Grade.GOOD, notes="", by=henry,
                     moderated_on=date(2025, 6, 3))  # fmt: skip
    body = login(henry).get("/workforce/audits/").content.decode()
    links = {"audit": "", "moderate": "moderate/", "action": "actions/new/"}
    offered = {
        name: {link for link, tail in links.items()
               if f'href="/workforce/children/{a.child_id}/audits/{a.pk}/{tail}"' in body}
        for name, a in audits.items()
    }  # fmt: skip
    assert offered == {
        "drawn": {"audit"},
        "completed": {"moderate", "action"},
        "moderated": {"action"},
    }
    assert CaseAudit.objects.get(pk=audits["moderated"].pk).status == CaseAudit.Status.MODERATED

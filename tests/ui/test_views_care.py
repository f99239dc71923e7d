"""Care pages: the child record's care section and the recording forms (double submit,
stale version, errors beside the field, 404 for outsiders, constant query counts)."""

from datetime import date

import pytest

from care.models import CarePeriod, CareReview, CareVisit, MissingEpisode, Placement
from casework import errors
from casework.models import ChildProtectionPlan
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


ENTRY = date(2025, 6, 2)
START = {
    "form_token": "start", **_date("started_on", ENTRY), "legal_status": "C1",
    "category_of_need": "N1", "place": "U6", "provider": "PR1", "urn": "SC123456",
    "long_term": "no", "uasc": "no",
}  # fmt: skip


def _child_on_plan(worker):
    referrals = builders.caseload(worker, 1, referred_on=date(2025, 3, 3))
    builders.s47s(referrals, held_on=date(2025, 3, 10))
    builders.cp_plans(referrals, icpc_on=date(2025, 3, 28))
    return referrals[0].child


def test_a_child_on_a_plan_becomes_looked_after_once_even_if_sent_twice(alice, login):
    client = login(alice)
    child = _child_on_plan(alice.worker)
    record = client.get(f"/children/{child.pk}/").content.decode()
    assert "Record the child becoming looked after" in record
    url = f"/children/{child.pk}/care/start/"
    assert client.post(url, START).status_code == 302
    assert client.post(url, START).status_code == 302  # the same form again
    period = CarePeriod.objects.get(child=child)
    assert period.worker == alice.worker
    plan = ChildProtectionPlan.objects.get(child=child)
    assert (plan.status, plan.ended_on) == ("ended", ENTRY)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Looked after since" in page and "U6: Foster placement with other foster carer" in page
    assert "30 Jun 2025" in page  # first review: 20 working days after 2 June

    step = f"/children/{child.pk}/care/review/"
    period.refresh_from_db()
    data = {"form_token": "r", "version": period.version, **_date("held_on", date(2025, 6, 13)),
            "participation": "PN1"}  # fmt: skip
    assert client.post(step, data).status_code == 302
    assert CareReview.objects.get().held_on == date(2025, 6, 13)


def test_a_stale_form_shows_the_conflict_and_saves_nothing(alice, login):
    client = login(alice)
    child = _child_on_plan(alice.worker)
    client.post(f"/children/{child.pk}/care/start/", START)
    period = CarePeriod.objects.get(child=child)
    CarePeriod.objects.filter(pk=period.pk).update(version=period.version + 1)  # someone else
    data = {"form_token": "v", "version": period.version, "child_seen": "yes",
            "seen_alone": "no", **_date("visited_on", date(2025, 6, 5))}  # fmt: skip
    response = client.post(f"/children/{child.pk}/care/visit/", data)
    assert errors.CONFLICT in response.content.decode()
    assert not CareVisit.objects.exists()


def test_bad_input_is_a_message_beside_the_field_and_nothing_is_saved(alice, login):
    client = login(alice)
    child = builders.caseload(alice.worker, 1, referred_on=date(2025, 3, 3))[0].child
    url = f"/children/{child.pk}/care/start/"
    response = client.post(url, {**START, "provider": ""})
    assert response.status_code == 200
    assert builders.error_beside(
        response.content.decode(), "provider", "Select the placement provider"
    )
    response = client.post(url, {**START, "started_on_0": "31", "started_on_1": "2"})
    assert response.status_code == 200
    assert not CarePeriod.objects.exists() and not Placement.objects.exists()


def test_a_social_worker_cannot_vary_visit_frequency_and_outsiders_get_404(alice, olive, login):
    client = login(alice)
    child = _child_on_plan(alice.worker)
    client.post(f"/children/{child.pk}/care/start/", START)
    assert "Vary the visit frequency" not in client.get(f"/children/{child.pk}/").content.decode()
    period = CarePeriod.objects.get(child=child)
    data = {"form_token": "f", "version": period.version, "interval_days": "14", "reason": "x"}
    response = client.post(f"/children/{child.pk}/care/visit-frequency/", data)
    assert "does not allow you to vary" in response.content.decode()
    period.refresh_from_db()
    assert period.visit_interval_days is None
    outsider = login(olive)
    for url in ("start/", "review/", "nonsense/"):
        assert outsider.get(f"/children/{child.pk}/care/{url}").status_code == 404


@pytest.mark.django_db
def test_child_record_query_count_is_the_same_for_10_and_1000_care_rows(alice, login):
    client = login(alice)

    def child_in_care(n):
        child = builders.caseload(alice.worker, 1, referred_on=date(2025, 3, 3))[0].child
        client.post(f"/children/{child.pk}/care/start/", {**START, "form_token": f"s{n}"})
        period = CarePeriod.objects.get(child=child)
        Placement.objects.bulk_create(
            [Placement(child=child, period=period, place="U6", provider="PR1",
                       started_on=date(2025, 6, 2), ended_on=date(2025, 6, 2)) for _ in range(n)]
        )  # fmt: skip
        MissingEpisode.objects.bulk_create(
            [MissingEpisode(child=child, period=period, kind="M", started_on=date(2025, 6, 3))
             for _ in range(n)]
        )  # fmt: skip
        builders.analyze()
        return child

    small = builders.page_reads(client, f"/children/{child_in_care(10).pk}/")
    large = builders.page_reads(client, f"/children/{child_in_care(1000).pk}/")
    assert small == large


def _looked_after(referrals, worker=None):
    periods = CarePeriod.objects.bulk_create(
        [CarePeriod(child_id=r.child_id, referral=r, started_on=ENTRY, worker=worker,
                    next_review_due_on=date(2025, 6, 30), next_visit_due_on=date(2025, 6, 9),
                    next_health_due_on=date(2025, 6, 30), next_pep_due_on=date(2025, 6, 16))
         for r in referrals]
    )  # fmt: skip
    builders.analyze()
    return periods


def test_my_work_lists_each_looked_after_childs_next_steps_in_constant_queries(alice, login):
    client = login(alice)
    _looked_after(builders.caseload(alice.worker, 10, referred_on=date(2025, 3, 3)))
    body = client.get("/my-work/?kind=care").content.decode()
    assert "40 steps due or overdue" in body
    assert "Statutory visit" in body and "Looked-after review" in body
    small = builders.page_reads(client, "/my-work/")
    _looked_after(builders.caseload(alice.worker, 990, referred_on=date(2025, 3, 3)))
    large = builders.page_reads(client, "/my-work/")
    assert small == large


def test_managers_queue_lists_their_teams_looked_after_children_in_constant_queries(
    alice, mary, olive, login
):
    _looked_after(builders.caseload(alice.worker, 10, referred_on=date(2025, 3, 3)), alice.worker)
    _looked_after(builders.caseload(olive.worker, 2, referred_on=date(2025, 3, 3)), olive.worker)
    assert login(alice).get("/care/due/").status_code == 403
    client = login(mary)
    assert "Children in care: reviews, visits" in client.get("/").content.decode()
    body = client.get("/care/due/").content.decode()
    assert "10 looked-after children" in body  # not olive's team
    assert "Overdue" in body  # visits were due on 9 June
    small = builders.page_reads(client, "/care/due/")
    _looked_after(builders.caseload(alice.worker, 990, referred_on=date(2025, 3, 3)), alice.worker)
    large = builders.page_reads(client, "/care/due/")
    assert small == large


def test_a_care_step_due_soon_or_overdue_is_tagged_as_on_every_other_page(alice, mary, login):
    """One colour per deadline status (casework.tables.deadline_tag): due soon is orange
    on the care pages as in the front door and worktray, not a colour of their own."""
    referrals = builders.caseload(alice.worker, 1, referred_on=date(2025, 3, 3))
    (period,) = _looked_after(referrals, alice.worker)
    due_soon = '<strong class="govuk-tag govuk-tag--orange">Due soon</strong>'
    overdue = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    # Today is 16 June: the PEP is due today, the visit was due on 9 June.
    for user, url in [(mary, "/care/due/"), (alice, f"/children/{period.child_id}/")]:
        body = login(user).get(url).content.decode()
        assert due_soon in body and overdue in body, url
        assert "govuk-tag--yellow" not in body, url

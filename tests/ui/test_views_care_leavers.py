"""Care leavers in the daily work: My work lists each pathway plan review due (constant
queries), and the child record shows the care leaver and the adoption plan."""

from datetime import date

from care import errors as care_errors
from care.models import AdoptionPlan, CareLeaver, LeaverContact, PathwayPlanReview
from casework import errors
from casework.models import Child
from tests.factories import decided
from tests.metrics import care_builders
from tests.ui import builders

BORN = date(2006, 5, 1)


def _leavers(referrals):
    # Eighteen when they left care, staying with their carers (E17), the care_end service's
    # rule for that reason; a row each (a few hundred at most) through the care builders.
    Child.objects.filter(pk__in=[r.child_id for r in referrals]).update(date_of_birth=BORN)
    periods = []
    for r in referrals:
        r.child.date_of_birth = BORN
        periods.append(care_builders.period(r.child, date(2022, 1, 3), ended_on=date(2024, 9, 1),
                                            reason_ceased="E17", referral=r))  # fmt: skip
    leavers = CareLeaver.objects.bulk_create(
        [CareLeaver(child_id=p.child_id, eligibility="former_relevant", personal_adviser="Sam",
                    pathway_plan_on=date(2024, 12, 2), next_pathway_review_due_on=date(2025, 6, 2))
         for p in periods]
    )  # fmt: skip
    builders.analyze()
    return periods, leavers


def test_my_work_lists_pathway_plan_reviews_in_constant_queries(alice, login):
    client = login(alice)
    _leavers(builders.caseload(alice.worker, 10, referred_on=date(2025, 3, 3)))
    body = client.get("/my-work/?kind=care_leaver").content.decode()
    assert body.count("Pathway plan review") >= 10
    small = builders.page_reads(client, "/my-work/")
    _leavers(builders.caseload(alice.worker, 300, referred_on=date(2025, 3, 3)))
    large = builders.page_reads(client, "/my-work/")
    assert small == large


def test_the_child_record_shows_the_care_leaver_and_the_adoption_plan(alice, login):
    client = login(alice)
    referrals = builders.caseload(alice.worker, 1, referred_on=date(2025, 3, 3))
    (period,), (leaver,) = _leavers(referrals)
    LeaverContact.objects.create(leaver=leaver, child_id=leaver.child_id,
                                 contacted_on=date(2025, 5, 1), in_touch="YES", activity="F2",
                                 accommodation="D1")  # fmt: skip
    plan = AdoptionPlan(child_id=period.child_id, period=period, decided_on=date(2022, 5, 2))
    decided.adoption_to(plan, AdoptionPlan.Status.REVERSED, on={"reversed": date(2023, 1, 9)},
                        reason="RD3").save()  # fmt: skip
    body = client.get(f"/children/{period.child_id}/").content.decode()
    assert "Former relevant (18 to 25)" in body and "Sam" in body
    assert "next review due 2 June 2025" in body
    assert "Full time in other education" in body and "Semi-independent living: suitable" in body
    assert "Decision reversed" in body and "Prospective adopters could not be found" in body


def _one_leaver(user):
    return _leavers(builders.caseload(user.worker, 1, referred_on=date(2025, 3, 3)))


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def test_a_pathway_plan_review_is_recorded_from_my_work_and_a_stale_form_is_refused(alice, login):
    client = login(alice)
    (period,), (leaver,) = _one_leaver(alice)
    url = f"/children/{period.child_id}/care-leaver/review/"
    assert url in client.get("/my-work/?kind=care_leaver").content.decode()
    assert url in client.get(f"/children/{period.child_id}/").content.decode()
    response = client.post(url, {"form_token": "p1", "version": leaver.version,
                                 **_date("held_on", date(2025, 9, 1))})  # fmt: skip
    assert builders.error_beside(response.content.decode(), "held_on", errors.DATE_IN_FUTURE)
    assert not PathwayPlanReview.objects.exists()
    data = {"form_token": "p2", "version": leaver.version, **_date("held_on", date(2025, 5, 27))}
    assert client.post(url, data).status_code == 302
    leaver.refresh_from_db()
    assert PathwayPlanReview.objects.get().held_on == date(2025, 5, 27)
    assert leaver.next_pathway_review_due_on == date(2025, 11, 27)
    stale = client.post(url, {**data, "form_token": "p3"})
    assert errors.CONFLICT in stale.content.decode()
    assert PathwayPlanReview.objects.count() == 1


def test_a_care_leaver_contact_needs_activity_when_in_touch_and_outsiders_get_404(
    alice, olive, login
):
    client = login(alice)
    (period,), (leaver,) = _one_leaver(alice)
    url = f"/children/{period.child_id}/care-leaver/contact/"
    assert url in client.get(f"/children/{period.child_id}/").content.decode()
    data = {"form_token": "c1", "version": leaver.version, "in_touch": "YES",
            **_date("contacted_on", date(2025, 5, 20))}  # fmt: skip
    response = client.post(url, data)
    assert builders.error_beside(
        response.content.decode(), "activity", care_errors.ACTIVITY_AND_ACCOMMODATION_REQUIRED
    )
    assert not LeaverContact.objects.exists()
    data = {**data, "form_token": "c2", "activity": "F2", "accommodation": "D1"}
    assert client.post(url, data).status_code == 302
    contact = LeaverContact.objects.get()
    assert (contact.contacted_on, contact.in_touch, contact.activity, contact.accommodation) == (
        date(2025, 5, 20), "YES", "F2", "D1")  # fmt: skip
    outsider = login(olive)
    for step in ("contact/", "review/", "nonsense/"):
        assert outsider.get(f"/children/{period.child_id}/care-leaver/{step}").status_code == 404
    assert outsider.post(url, {**data, "form_token": "c3"}).status_code == 404
    assert LeaverContact.objects.count() == 1

"""Prospective adopters' pages: recorded and approved through care.adopters, read by those
who record adoptions and those who oversee them (every read audited), refused to others."""

from datetime import date

from accounts.models import AuditEvent, Role
from care import adopters, adoption
from care import errors as care_errors
from care.models import AdopterHousehold
from casework import errors
from tests.care.builders import looked_after
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _couple(by, reference="FAM1"):
    return adopters.adopter_household_record(
        by=by, reference=reference, legal_status="L11", enquiry_on=date(2024, 9, 2),
        adopters=[adopters.AdopterDetails(sex="M"), adopters.AdopterDetails(sex="F")],
    )  # fmt: skip


def test_a_household_is_recorded_with_errors_beside_the_field(alice, login):
    client = login(alice)
    assert "/adopters/new/" in client.get("/adopters/").content.decode()
    data = {"form_token": "a1", "reference": "fam7", "legal_status": "L0", "first_sex": "F",
            "second_sex": "M", "fostering_for_adoption": "no",
            **_date("enquiry_on", date(2025, 5, 1))}  # fmt: skip
    # Two people recorded as a single adopter: the legal status is refused beside its field.
    response = client.post("/adopters/new/", data)
    assert response.status_code == 200
    assert builders.error_beside(
        response.content.decode(), "legal_status",
        care_errors.BAD_CODE.format(label="legal status of the adopters"),
    )  # fmt: skip
    assert not AdopterHousehold.objects.exists()
    response = client.post("/adopters/new/", {**data, "form_token": "a2", "legal_status": "L3"})
    assert response.status_code == 302
    household = AdopterHousehold.objects.get()
    assert (household.reference, household.legal_status, household.enquiry_on) == (
        "FAM7", "L3", date(2025, 5, 1))  # fmt: skip
    assert sorted(household.adopters.values_list("sex", flat=True)) == ["F", "M"]
    assert household.history.first().history_user == alice


def test_approval_is_a_step_in_order_and_the_detail_links_the_matched_child(alice, login):
    client = login(alice)
    household = _couple(alice)
    url = f"/adopters/{household.pk}/step/"
    assert url in client.get(f"/adopters/{household.pk}/").content.decode()
    data = {"form_token": "s1", "version": household.version, "step": "approved_on",
            **_date("on", date(2024, 8, 1))}  # fmt: skip
    response = client.post(url, data)  # before the enquiry: refused beside the date
    assert builders.error_beside(
        response.content.decode(), "on",
        care_errors.ADOPTER_STEP_ORDER.format(step="approval", previous="initial enquiry",
                                              on=date(2024, 9, 2)),
    )  # fmt: skip
    household.refresh_from_db()
    assert household.approved_on is None
    response = client.post(url, {**data, "form_token": "s2", **_date("on", date(2025, 3, 3))})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.approved_on == date(2025, 3, 3)
    # A child matched with them: the adoption section links the household, and back.
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2024, 3, 4))
    period = looked_after(referral.child, alice, on=date(2024, 4, 1), legal_status="C2")
    plan = adoption.adoption_decide(period=period, by=alice, decided_on=date(2024, 10, 1))
    household.refresh_from_db()
    adoption.adoption_match(plan=plan, by=alice, matched_on=date(2025, 4, 1), household=household)
    child_page = client.get(f"/children/{period.child_id}/").content.decode()
    assert f"/adopters/{household.pk}/" in child_page and "Family ID FAM1" in child_page
    detail = client.get(f"/adopters/{household.pk}/").content.decode()
    assert f"/children/{period.child_id}/" in detail and "1 Apr 2025" in detail
    audited = AuditEvent.objects.filter(path=f"/adopters/{household.pk}/", child=None)
    assert audited.filter(user=alice, action="view", object_repr="Adopters FAM1").exists()
    assert AuditEvent.objects.filter(path=f"/adopters/{household.pk}/",
                                     child_id=period.child_id).exists()  # fmt: skip
    # Leaving the process: recorded with its reason, and no further step is offered.
    household.refresh_from_db()
    left = {"form_token": "l1", "version": household.version, "reason": "2",
            **_date("left_on", date(2025, 6, 2))}  # fmt: skip
    assert client.post(f"/adopters/{household.pk}/left/", left).status_code == 302
    household.refresh_from_db()
    assert (household.left_on, household.left_reason) == (date(2025, 6, 2), "2")
    assert url not in client.get(f"/adopters/{household.pk}/").content.decode()


def test_business_support_gets_403_and_an_unknown_household_404(alice, team, login):
    household = _couple(alice)
    support = builders.user_with_worker("bea", Role.BUSINESS_SUPPORT, team)
    client = login(support)
    for url in ("/adopters/", f"/adopters/{household.pk}/", "/adopters/new/",
                f"/adopters/{household.pk}/step/"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    data = {"form_token": "x1", "version": household.version, "step": "approved_on",
            **_date("on", date(2025, 3, 3))}  # fmt: skip
    assert client.post(f"/adopters/{household.pk}/step/", data).status_code == 403
    household.refresh_from_db()
    assert household.approved_on is None
    assert not AuditEvent.objects.filter(object_repr="Adopters FAM1").exists()
    client = login(alice)
    assert client.get(f"/adopters/{household.pk + 1}/").status_code == 404
    assert client.get(f"/adopters/{household.pk + 1}/step/").status_code == 404


def test_a_stale_step_or_leaving_form_is_refused_and_saves_nothing(alice, login):
    """The household's forms carry the version they showed, and the service compares it
    (issue 18 item 4): a colleague's step saved in between wins, this form is refused."""
    client = login(alice)
    household = _couple(alice)
    seen = household.version
    adopters.adopter_household_step(household=household, by=alice, step="stage1_ended_on",
                                    on=date(2024, 11, 1))  # fmt: skip
    step = {"form_token": "t1", "version": seen, "step": "approved_on",
            **_date("on", date(2025, 3, 3))}  # fmt: skip
    left = {"form_token": "t2", "version": seen, "reason": "2",
            **_date("left_on", date(2025, 6, 2))}  # fmt: skip
    for url, data in ((f"/adopters/{household.pk}/step/", step),
                      (f"/adopters/{household.pk}/left/", left)):  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert errors.CONFLICT in response.content.decode()
    household.refresh_from_db()
    assert (household.version, household.approved_on, household.left_on) == (seen + 1, None, None)

"""Adoption step pages: decision, placement order, match, placement with the adopters and
the adoption order, each from the child record; errors beside the field, stale forms
refused, outsiders 404."""

from datetime import date

from care import adopters, adoption
from care import errors as care_errors
from care.models import AdoptionPlan, CarePeriod
from casework import errors
from tests.care.builders import looked_after
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _in_care(user):
    child = builders.caseload(user.worker, 1, referred_on=date(2023, 12, 1))[0].child
    return looked_after(child, user, on=date(2024, 1, 8), legal_status="C2")


def _post(client, period, step, data, version):
    url = f"/children/{period.child_id}/adoption/{step}/"
    return client.post(url, {"form_token": f"{step}-{version}", "version": version, **data})


def test_the_adoption_journey_is_recorded_step_by_step_from_the_child_record(alice, login):
    client = login(alice)
    period = _in_care(alice)
    record = f"/children/{period.child_id}/"
    assert f"{record}adoption/decision/" in client.get(record).content.decode()
    decided = _post(client, period, "decision", _date("decided_on", date(2024, 3, 1)),
                    period.version)  # fmt: skip
    assert decided.status_code == 302
    plan = AdoptionPlan.objects.get(child_id=period.child_id)
    page = client.get(record).content.decode()
    assert f"{record}adoption/placement-order/" in page and f"{record}adoption/match/" in page
    assert _post(client, period, "placement-order", _date("ordered_on", date(2024, 5, 1)),
                 plan.version).status_code == 302  # fmt: skip
    plan.refresh_from_db()
    match = {"adopters_number": "2", "adopters_sex": "MF", "adopters_legal_status": "L11",
             "with_foster_carer": "no"}  # fmt: skip
    early = _post(client, period, "match", {**match, **_date("matched_on", date(2025, 9, 1))},
                  plan.version)  # fmt: skip
    assert builders.error_beside(early.content.decode(), "matched_on", errors.DATE_IN_FUTURE)
    assert _post(client, period, "match", {**match, **_date("matched_on", date(2024, 9, 2))},
                 plan.version).status_code == 302  # fmt: skip
    plan.refresh_from_db()
    placed = {
        "place": "A6",
        "provider": "PR1",
        "postcode": "SO23 8UJ",
        "urn": "SC123456",
        "carer": "Adopters",
        "long_term": "yes",
        **_date("placed_on", date(2024, 10, 7)),
    }
    assert _post(client, period, "placed", placed, plan.version).status_code == 302
    plan.refresh_from_db()
    stale = _post(
        client,
        period,
        "adopted",
        {**_date("ordered_on", date(2025, 3, 3)), "consent_dispensed": "no"},
        plan.version - 1,
    )
    assert errors.CONFLICT in stale.content.decode()
    assert _post(client, period, "adopted", {**_date("ordered_on", date(2025, 3, 3)),
                                             "consent_dispensed": "no"},
                 plan.version).status_code == 302  # fmt: skip
    plan.refresh_from_db()
    period = CarePeriod.objects.get(pk=period.pk)
    assert (plan.status, plan.matched_on, plan.placed_on, plan.adopted_on) == (
        "adopted", date(2024, 9, 2), date(2024, 10, 7), date(2025, 3, 3))  # fmt: skip
    assert (period.ended_on, period.reason_ceased) == (date(2025, 3, 3), "E11")


def test_outsiders_get_404_and_nothing_is_recorded(alice, olive, login):
    period = _in_care(alice)
    outsider = login(olive)
    for step in ("decision/", "match/", "nonsense/"):
        url = f"/children/{period.child_id}/adoption/{step}"
        assert outsider.get(url).status_code == 404
    response = _post(outsider, period, "decision", _date("decided_on", date(2024, 3, 1)),
                     period.version)  # fmt: skip
    assert response.status_code == 404
    assert not AdoptionPlan.objects.exists()


def test_a_match_names_an_approved_household_whose_adopters_ad1_takes(alice, login):
    client = login(alice)
    period = _in_care(alice)
    plan = adoption.adoption_decide(period=period, by=alice, decided_on=date(2024, 3, 1))
    plan = adoption.adoption_placement_order(plan=plan, by=alice, ordered_on=date(2024, 5, 1))
    approved = adopters.adopter_household_record(
        by=alice, reference="FAM9", legal_status="L11", enquiry_on=date(2023, 9, 4),
        adopters=[adopters.AdopterDetails(sex="M"), adopters.AdopterDetails(sex="F")],
    )  # fmt: skip
    adopters.adopter_household_step(household=approved, by=alice, step="approved_on",
                                    on=date(2024, 2, 1))  # fmt: skip
    page = client.get(f"/children/{period.child_id}/adoption/match/").content.decode()
    assert "Adopters FAM9" in page
    # Neither a household nor the adopters described: refused beside the field, nothing saved.
    bare = {"with_foster_carer": "no", **_date("matched_on", date(2024, 9, 2))}
    refused = _post(client, period, "match", bare, plan.version)
    assert builders.error_beside(refused.content.decode(), "adopters_number",
                                 care_errors.ADOPTERS_REQUIRED)  # fmt: skip
    plan.refresh_from_db()
    assert plan.status != "matched" and plan.adopters_id is None
    matched = _post(client, period, "match", {**bare, "household": approved.pk}, plan.version)
    assert matched.status_code == 302
    plan.refresh_from_db()
    assert (plan.adopters_id, plan.adopters_number, plan.adopters_sex,
            plan.adopters_legal_status) == (approved.pk, 2, "MF", "L11")  # fmt: skip

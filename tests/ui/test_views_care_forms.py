"""The care leaver, previous permanence and adoption reversal forms: each linked from the
child record, saved through its service, its error beside the field, and 404 for a worker
who cannot see the child."""

import hashlib
from datetime import date

import pytest

from care import errors as care_errors
from care.models import AdoptionPlan, CareEpisode, CareLeaver, CarePeriod
from care.services.ending import care_end
from casework import errors
from tests.care.builders import looked_after
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _child(user, born, referred_on=date(2022, 12, 1)):
    child = builders.caseload(user.worker, 1, referred_on=referred_on)[0].child
    child.date_of_birth = born
    child.save(update_fields=["date_of_birth"])
    return child


def _left_care_at_17(user):
    """Looked after from 15 to 17: a relevant young person (16 or 17, left care)."""
    child = _child(user, date(2008, 1, 10))
    period = looked_after(child, user, on=date(2023, 1, 9), legal_status="C2")
    care_end(period=period, by=user, ended_on=date(2025, 3, 3), reason_ceased="E4A")
    return child


def _leaver(user):
    child = _left_care_at_17(user)
    from care.leavers import care_leaver_start

    return care_leaver_start(child=child, by=user, on=date(2025, 3, 4))


def _post(client, url, data, version=None):
    # A token per distinct submission (each saves once): at most 64 characters.
    token = {"form_token": hashlib.sha256(f"{url}{sorted(data.items())}".encode()).hexdigest()}
    return client.post(url, {**token, **({"version": version} if version else {}), **data})


def test_a_care_leaver_record_starts_from_the_child_record_with_its_eligibility(alice, login):
    client = login(alice)
    child = _left_care_at_17(alice)
    url = f"/children/{child.pk}/care-leaver/start/"
    assert url in client.get(f"/children/{child.pk}/").content.decode()
    page = client.get(url).content.decode()
    assert "Relevant (16 or 17, left care)" in page
    future = _post(client, url, _date("on", date(2025, 7, 1)))
    assert builders.error_beside(future.content.decode(), "on", errors.DATE_IN_FUTURE)
    assert not CareLeaver.objects.exists()
    saved = _post(client, url, {**_date("on", date(2025, 3, 4)), "personal_adviser": "Sam Lee"})
    assert saved.status_code == 302
    leaver = CareLeaver.objects.get(child=child)
    assert (leaver.eligibility, leaver.personal_adviser) == ("relevant", "Sam Lee")
    again = _post(client, url, {**_date("on", date(2025, 3, 5))})
    assert care_errors.ALREADY_A_CARE_LEAVER in again.content.decode()
    assert CareLeaver.objects.count() == 1


def test_pathway_plan_and_staying_put_are_recorded_on_the_leaver(alice, login):
    client = login(alice)
    leaver = _leaver(alice)
    record = client.get(f"/children/{leaver.child_id}/").content.decode()
    plan_url = f"/children/{leaver.child_id}/care-leaver/pathway-plan/"
    put_url = f"/children/{leaver.child_id}/care-leaver/staying-put/"
    assert plan_url in record and put_url in record
    future = _post(client, plan_url, _date("agreed_on", date(2025, 8, 1)), leaver.version)
    assert builders.error_beside(future.content.decode(), "agreed_on", errors.DATE_IN_FUTURE)
    assert _post(client, plan_url, _date("agreed_on", date(2025, 4, 1)),
                 leaver.version).status_code == 302  # fmt: skip
    leaver.refresh_from_db()
    assert (leaver.pathway_plan_on, leaver.next_pathway_review_due_on) == (
        date(2025, 4, 1), date(2025, 10, 1))  # fmt: skip
    backwards = {**_date("started_on", date(2025, 4, 1)), **_date("ended_on", date(2025, 3, 1))}
    response = _post(client, put_url, backwards, leaver.version)
    assert builders.error_beside(response.content.decode(), "ended_on",
                                 care_errors.STAYING_PUT_ENDS_BEFORE_START)  # fmt: skip
    assert _post(client, put_url, _date("started_on", date(2025, 4, 1)),
                 leaver.version).status_code == 302  # fmt: skip
    leaver.refresh_from_db()
    assert (leaver.staying_put_from, leaver.staying_put_to) == (date(2025, 4, 1), None)


def test_previous_permanence_is_recorded_on_the_period(alice, login):
    client = login(alice)
    period = looked_after(_child(alice, date(2019, 5, 5), date(2025, 3, 3)), alice,
                          on=date(2025, 4, 7))  # fmt: skip
    url = f"/children/{period.child_id}/care/previous-permanence/"
    assert url in client.get(f"/children/{period.child_id}/").content.decode()
    undated = _post(client, url, {"kind": "P2", "la": "850"}, period.version)
    assert builders.error_beside(undated.content.decode(), "made_on",
                                 care_errors.PREVIOUS_PERMANENCE_DATE)  # fmt: skip
    data = {"kind": "P2", "la": "850", **_date("made_on", date(2022, 2, 1))}
    assert _post(client, url, data, period.version).status_code == 302
    period.refresh_from_db()
    assert (period.previous_permanence, period.previous_permanence_la,
            period.previous_permanence_on) == ("P2", "850", date(2022, 2, 1))  # fmt: skip


def test_an_adoption_reversal_ends_the_placement_order_status(alice, login):
    client = login(alice)
    child = _child(alice, date(2023, 2, 1), date(2023, 12, 1))
    period = looked_after(child, alice, on=date(2024, 1, 8), legal_status="C2")
    from care import adoption

    plan = adoption.adoption_decide(period=period, by=alice, decided_on=date(2024, 3, 1))
    plan = adoption.adoption_placement_order(plan=plan, by=alice, ordered_on=date(2024, 5, 1))
    url = f"/children/{period.child_id}/adoption/reversed/"
    assert url in client.get(f"/children/{period.child_id}/").content.decode()
    future = _post(client, url, {"reason": "RD3", **_date("reversed_on", date(2025, 7, 1))},
                   plan.version)  # fmt: skip
    assert builders.error_beside(future.content.decode(), "reversed_on", errors.DATE_IN_FUTURE)
    saved = _post(client, url, {"reason": "RD3", **_date("reversed_on", date(2025, 2, 3))},
                  plan.version)  # fmt: skip
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.reversed_on, plan.reversal_reason) == (
        "reversed", date(2025, 2, 3), "RD3")  # fmt: skip
    # Back to the care order from the reversal, the E1 episode kept in the history.
    episodes = CareEpisode.objects.filter(period=period).order_by("started_on")
    assert [(e.legal_status, e.started_on, e.reason_ceased) for e in episodes] == [
        ("C2", date(2024, 1, 8), "X1"), ("E1", date(2024, 5, 1), "X1"),
        ("C2", date(2025, 2, 3), "")]  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "care-leaver/start/",
        "care-leaver/pathway-plan/",
        "care-leaver/staying-put/",
        "care/previous-permanence/",
        "adoption/reversed/",
    ],
)
def test_a_worker_who_cannot_see_the_child_gets_404(alice, olive, login, url):
    leaver = _leaver(alice)
    period = CarePeriod.objects.get(child_id=leaver.child_id)
    AdoptionPlan.objects.create(child_id=leaver.child_id, period=period,
                                decided_on=date(2024, 1, 2))  # fmt: skip
    outsider = login(olive)
    assert outsider.get(f"/children/{leaver.child_id}/{url}").status_code == 404
    posted = _post(outsider, f"/children/{leaver.child_id}/{url}",
                   _date("on", date(2025, 3, 4)), leaver.version)  # fmt: skip
    assert posted.status_code == 404
    assert CareLeaver.objects.count() == 1

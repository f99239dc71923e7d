"""Child in need plan start and end pages: each calls its service; census rules show
beside the date; bad input, double submission and stale pages save nothing."""

from datetime import date

import pytest

from casework import errors
from casework.models import CINPlan
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


@pytest.fixture
def referral(alice):
    return builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]


@pytest.fixture
def plan(referral):
    return CINPlan.objects.create(
        child_id=referral.child_id, referral=referral, started_on=date(2025, 6, 3)
    )


def test_a_worker_starts_a_cin_plan_from_the_child_record(alice, referral, login):
    client = login(alice)
    record = client.get(f"/children/{referral.child_id}/").content.decode()
    url = f"/referrals/{referral.pk}/cin-plan/start/"
    assert f'href="{url}"' in record
    response = client.post(url, {"form_token": "s", **_date("started_on", date(2025, 6, 10))})
    assert response.status_code == 302
    assert CINPlan.objects.get(referral=referral).started_on == date(2025, 6, 10)
    record = client.get(response.url).content.decode()
    assert "Child in need plan started" in record
    assert f'href="/referrals/{referral.pk}/cin-plan/end/"' in record


def test_a_worker_ends_the_cin_plan(alice, referral, plan, login):
    client = login(alice)
    url = f"/referrals/{referral.pk}/cin-plan/end/"
    form = client.get(url).context["form"]
    data = {
        "form_token": form.initial["form_token"],
        "version": form.initial["version"],
        **_date("ended_on", date(2025, 6, 13)),
    }
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.status == CINPlan.Status.ENDED and plan.ended_on == date(2025, 6, 13)


def test_starting_a_plan_during_a_cp_plan_is_refused_beside_the_date(alice, referral, login):
    builders.cp_plans([referral], icpc_on=date(2025, 6, 5))
    data = {"form_token": "s", **_date("started_on", date(2025, 6, 10))}
    response = login(alice).post(f"/referrals/{referral.pk}/cin-plan/start/", data)
    assert response.status_code == 200
    assert builders.error_beside(
        response.content.decode(),
        "started_on",
        errors.CIN_PLAN_DURING_CP_PLAN.format(started_on=date(2025, 6, 5)),
    )
    assert not CINPlan.objects.exists()


def test_ending_before_the_plan_started_is_refused_beside_the_date(alice, referral, plan, login):
    data = {"form_token": "e", "version": plan.version, **_date("ended_on", date(2025, 6, 2))}
    response = login(alice).post(f"/referrals/{referral.pk}/cin-plan/end/", data)
    message = errors.DATE_BEFORE.format(other="start of the plan", other_on=date(2025, 6, 3))
    assert builders.error_beside(response.content.decode(), "ended_on", message)
    plan.refresh_from_db()
    assert plan.status == CINPlan.Status.ACTIVE


BAD_DATES = [
    ({"_0": "", "_1": "", "_2": ""}, "Enter plan {which} date"),
    ({"_0": "31", "_1": "2"}, "must be a real date"),
    ({"_0": "x" * 5000}, "must be a real date"),
    ({"_1": "abc"}, "must be a real date"),
    ({"_2": "25"}, "the year must have 4 numbers"),
    ({"_2": "2026"}, errors.DATE_IN_FUTURE),
    ({"_1": "5", "_0": "1"}, "The date cannot be before the referral date (02/06/2025)"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_DATES)
def test_bad_start_input_saves_nothing(alice, referral, login, changes, message):
    data = {"form_token": "s", **_date("started_on", date(2025, 6, 10))}
    data.update({f"started_on{k}": v for k, v in changes.items()})
    response = login(alice).post(f"/referrals/{referral.pk}/cin-plan/start/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message.format(which="start") in body
    assert not CINPlan.objects.exists()


@pytest.mark.parametrize(("changes", "message"), BAD_DATES)
def test_bad_end_input_saves_nothing(alice, referral, plan, login, changes, message):
    data = {"form_token": "e", "version": plan.version, **_date("ended_on", date(2025, 6, 10))}
    data.update({f"ended_on{k}": v for k, v in changes.items()})
    response = login(alice).post(f"/referrals/{referral.pk}/cin-plan/end/", data)
    assert response.status_code == 200
    assert message.format(which="end") in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == CINPlan.Status.ACTIVE and plan.ended_on is None


@pytest.mark.parametrize("version", ["", "abc", "-1", "9" * 30])
def test_bad_versions_on_the_end_form_never_fail(alice, referral, plan, login, version):
    data = {"form_token": "e", "version": version, **_date("ended_on", date(2025, 6, 10))}
    response = login(alice).post(f"/referrals/{referral.pk}/cin-plan/end/", data)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.status == CINPlan.Status.ACTIVE


def test_starting_twice_with_the_same_form_creates_one_plan(alice, referral, login):
    client = login(alice)
    url = f"/referrals/{referral.pk}/cin-plan/start/"
    token = client.get(url).context["form"].initial["form_token"]
    data = {"form_token": token, **_date("started_on", date(2025, 6, 10))}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert CINPlan.objects.count() == 1


def test_ending_from_a_stale_page_is_a_conflict(alice, referral, plan, login):
    CINPlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    data = {"form_token": "e", "version": plan.version, **_date("ended_on", date(2025, 6, 10))}
    response = login(alice).post(f"/referrals/{referral.pk}/cin-plan/end/", data)
    assert errors.CONFLICT in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == CINPlan.Status.ACTIVE


def test_no_active_plan_or_an_outsider_is_not_found(alice, olive, referral, login):
    assert login(alice).get(f"/referrals/{referral.pk}/cin-plan/end/").status_code == 404
    client = login(olive)
    assert client.get(f"/referrals/{referral.pk}/cin-plan/start/").status_code == 404

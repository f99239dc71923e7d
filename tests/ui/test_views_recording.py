from datetime import date

import pytest

from casework import errors
from casework.models import Assessment
from referrals.models import Contact, ContactChild, Referral
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _token(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"].initial["form_token"]


@pytest.fixture
def siblings(mary):
    return builders.episodes(
        builders.children(2, last_name="Sibling"), referred_on=date(2025, 6, 2)
    )


def test_a_contact_about_several_children_is_recorded_once_even_if_sent_twice(
    mary, siblings, login
):
    client = login(mary)
    token = _token(client, "/contacts/new/")
    ids = "\n".join(r.child.la_child_id for r in siblings)
    data = {
        "form_token": token,
        **_date("received_on", date(2025, 6, 16)),
        "received_time": "09:30",
        "source": "6",
        "children": ids,
        "reason": "Police call",
    }
    first = client.post("/contacts/new/", data)
    second = client.post("/contacts/new/", data)
    assert first.status_code == second.status_code == 302
    assert Contact.objects.count() == 1
    assert ContactChild.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_on_0": "", "received_on_1": "", "received_on_2": ""}, "Enter date received"),
        ({"received_on_0": "31", "received_on_1": "2"}, "Date received must be a real date"),
        ({"received_on_0": "x" * 5000}, "Date received must be a real date"),
        ({"received_on_2": "25"}, "the year must have 4 numbers"),
        ({"received_on_2": "2026"}, errors.DATE_IN_FUTURE),
        ({"received_time": "25:99"}, "Enter a real time"),
        ({"children": "NOPE123"}, "No child found with LA child ID NOPE123"),
        ({"source": "ZZ"}, "Select source from the list"),
        ({"reason": "x" * 6000}, "Reason for contact must be 5000 characters or fewer"),
        ({"reason": ""}, "Enter reason for contact"),
    ],
)
def test_bad_contact_input_shows_a_message_and_saves_nothing(
    mary, siblings, login, changes, message
):
    client = login(mary)
    data = {
        "form_token": "t",
        **_date("received_on", date(2025, 6, 16)),
        "received_time": "09:30",
        "source": "6",
        "children": siblings[0].child.la_child_id,
        "reason": "Call",
    }
    response = client.post("/contacts/new/", {**data, **changes})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert Contact.objects.count() == 0


def test_screening_decides_for_every_child_on_one_form(mary, login):
    kids = builders.children(2, last_name="Screened")
    contact = builders.contacts([kids], received_on=date(2025, 6, 13))[0]
    client = login(mary)
    url = f"/contacts/{contact.pk}/screen/"
    token = _token(client, url)
    data = {
        "form_token": token,
        "version": contact.version,
        **_date("decided_on", date(2025, 6, 16)),
        f"decision_{kids[0].pk}": "referral",
        f"decision_{kids[1].pk}": "nfa",
        "notes": "",
    }
    assert client.post(url, data).status_code == 302
    contact.refresh_from_db()
    assert contact.status == Contact.Status.DECIDED
    assert Referral.objects.filter(child=kids[0]).count() == 1
    assert not Referral.objects.filter(child=kids[1]).exists()


def test_screening_without_a_decision_for_a_child_says_so_beside_it(mary, login):
    kids = builders.children(2, last_name="Screened")
    contact = builders.contacts([kids], received_on=date(2025, 6, 13))[0]
    url = f"/contacts/{contact.pk}/screen/"
    data = {
        "form_token": "t",
        "version": contact.version,
        **_date("decided_on", date(2025, 6, 16)),
        f"decision_{kids[0].pk}": "referral",
    }
    body = login(mary).post(url, data).content.decode()
    assert (
        f"Select decision for {kids[1].full_name.lower()[0]}" in body or "Select decision" in body
    )
    contact.refresh_from_db()
    assert contact.status == Contact.Status.AWAITING_DECISION


def test_assessment_completed_before_it_started_shows_the_rule_beside_the_date(alice, login):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    assessment = builders.assessments([referral], worker=alice.worker)[0]
    data = {
        "form_token": "t",
        "version": assessment.version,
        **_date("completed_on", date(2025, 5, 1)),
        "outcome": "nfa",
        "factors": ["21"],
        "primary_need": "",
        "summary": "",
    }
    response = login(alice).post(f"/assessments/{assessment.pk}/complete/", data)
    assert response.status_code == 200
    assert "The date cannot be before the referral date (02/06/2025)" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_a_stale_form_shows_a_conflict_and_saves_nothing(alice, login):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    assessment = builders.assessments([referral], worker=alice.worker)[0]
    Assessment.objects.filter(pk=assessment.pk).update(version=2)  # someone else saved
    data = {"form_token": "t", "version": 1, **_date("seen_on", date(2025, 6, 3))}
    response = login(alice).post(f"/assessments/{assessment.pk}/seen/", data)
    assert errors.CONFLICT in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.child_seen_on is None


def test_assessment_steps_through_to_authorisation(alice, mary, login):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    client = login(alice)
    url = f"/referrals/{referral.pk}/assessment/start/"
    assert (
        client.post(url, {"form_token": "a", **_date("started_on", date(2025, 6, 3))}).status_code
        == 302
    )
    a = Assessment.objects.get(referral=referral)

    def step(c, name, **data):
        a.refresh_from_db()
        response = c.post(
            f"/assessments/{a.pk}/{name}/", {"form_token": name, "version": a.version, **data}
        )
        assert response.status_code == 302, response.content.decode()[:3000]

    step(client, "seen", **_date("seen_on", date(2025, 6, 4)))
    step(
        client,
        "complete",
        **_date("completed_on", date(2025, 6, 10)),
        outcome="cin_plan",
        factors=["3A", "4B"],
        primary_need="N1",
        summary="Done",
    )
    step(client, "submit", **_date("submitted_on", date(2025, 6, 11)))
    step(login(mary), "decision", decision="authorise", **_date("decided_on", date(2025, 6, 12)))
    a.refresh_from_db()
    assert a.status == Assessment.Status.AUTHORISED


def test_an_outsider_gets_404_on_another_teams_forms(alice, olive, login):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    assessment = builders.assessments([referral])[0]
    client = login(olive)
    assert client.get(f"/assessments/{assessment.pk}/complete/").status_code == 404
    assert client.get(f"/referrals/{referral.pk}/assessment/start/").status_code == 404
    # Closing is for managers: a social worker is refused by role, before any lookup.
    assert client.get(f"/referrals/{referral.pk}/close/").status_code == 403
    assert client.get(f"/assessments/{assessment.pk}/nonsense/").status_code == 404


@pytest.mark.parametrize("version", ["", "abc", "-1", "9" * 30])
def test_bad_versions_never_fail(alice, login, version):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    assessment = builders.assessments([referral])[0]
    data = {"form_token": "t", "version": version, **_date("seen_on", date(2025, 6, 3))}
    assert login(alice).post(f"/assessments/{assessment.pk}/seen/", data).status_code == 200

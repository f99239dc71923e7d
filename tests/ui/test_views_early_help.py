"""Early help pages: a social worker requests early help from the child record, walks the
episode through its steps and steps the child up; the front door sees the history."""

from datetime import date

import pytest
import time_machine

from casework.errors import DomainError
from earlyhelp import services
from earlyhelp.errors import REFERRAL_NOT_STEP_DOWN
from earlyhelp.models import EarlyHelpEpisode
from referrals.models import Contact, Referral
from referrals.services import referral_close
from tests.earlyhelp.builders import episode
from tests.ui import builders

pytestmark = pytest.mark.django_db


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _post(client, url, data):
    token = client.get(url).context["form"].initial
    form = {"form_token": token["form_token"], **data}
    if "version" in token:
        form["version"] = token["version"]
    return client.post(url, form)


@pytest.fixture
def child(alice):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))
    return referral.child


def test_a_social_worker_walks_an_episode_from_request_to_step_up(alice, mary, child, login):
    client = login(alice)
    record = client.get(f"/children/{child.pk}/").content.decode()
    assert "No early help recorded." in record and "Request early help" in record

    response = _post(client, f"/early-help/children/{child.pk}/request/", {
        **_date("requested_on", date(2025, 6, 2)),
        "requested_by_agency": "school",
        "reason": "Attendance has fallen to 70%",
    })  # fmt: skip
    assert response.status_code == 302
    e = EarlyHelpEpisode.objects.get(child=child)
    assert (e.route, e.team) == ("partner", alice.worker.team)
    base = f"/early-help/{e.pk}/"
    steps = [
        ("assess", {**_date("consent_on", date(2025, 6, 3)),
                    **_date("started_on", date(2025, 6, 3)),
                    "lead_agency": "school", "lead_practitioner": "Pat Teacher"}),
        ("complete", {**_date("completed_on", date(2025, 6, 9)), "needs": ["education", "health"]}),
        ("team", {"name": "Hali Visitor", "agency": "health_visitor", "role": "HV",
                  **_date("joined_on", date(2025, 6, 10))}),
        ("plan", {**_date("started_on", date(2025, 6, 10))}),
        ("review", {**_date("held_on", date(2025, 6, 13)), "progress": "No better"}),
    ]  # fmt: skip
    for slug, data in steps:
        response = _post(client, f"{base}{slug}/", data)
        assert response.status_code == 302, (slug, response.context["form"].errors)
    e.refresh_from_db()
    assert (e.status, e.needs, e.plan_started_on) == ("plan", ["education", "health"],
                                                      date(2025, 6, 10))  # fmt: skip
    page = client.get(base).content.decode()
    assert "Pat Teacher, School" in page and "Hali Visitor, Health visiting (HV)" in page

    response = _post(client, f"{base}step-up/", {
        **_date("referred_on", date(2025, 6, 16)), "reason": "Disclosure at school",
    })  # fmt: skip
    assert response.status_code == 302
    e.refresh_from_db()
    contact = Contact.objects.get()
    assert (e.closure_reason, e.step_up_contact) == ("stepped_up", contact)
    assert contact.source == "5D" and "Plan review 13/06/2025: No better" in contact.reason

    screening = login(mary).get(f"/contacts/{contact.pk}/screen/").content.decode()
    assert "Stepped up from early help" in screening
    assert f"/early-help/{e.pk}/" in screening
    assert "Open to early help" in screening and "Open to social care" in screening


def test_a_refused_step_shows_the_message_beside_the_field(alice, child, login):
    e = episode(child, date(2025, 6, 9), team=alice.worker.team)
    response = _post(login(alice), f"/early-help/{e.pk}/assess/", {
        **_date("consent_on", date(2025, 6, 2)), **_date("started_on", date(2025, 6, 10)),
        "lead_agency": "school", "lead_practitioner": "Pat",
    })  # fmt: skip
    assert response.status_code == 200
    assert (
        builders.error_beside(
            response.content.decode(), "consent_on", "The date cannot be before the request date"
        )
        or "cannot be before the request date" in response.content.decode()
    )
    e.refresh_from_db()
    assert e.status == "requested"


def test_an_outsider_cannot_open_or_change_an_episode(alice, olive, child, login):
    e = episode(child, date(2025, 6, 9), team=alice.worker.team)
    client = login(olive)
    assert client.get(f"/early-help/{e.pk}/").status_code == 404
    assert client.post(f"/early-help/{e.pk}/close/", {}).status_code == 404
    assert client.get(f"/early-help/children/{child.pk}/request/").status_code == 404
    assert "No open early help episodes you can see." in client.get("/early-help/").content.decode()


def test_early_help_led_by_a_team_is_visible_to_that_team_only(alice, olive, login):
    (kid,) = builders.children(1)
    episode(kid, date(2025, 6, 9), team=alice.worker.team)  # no social care allocation
    assert login(alice).get(f"/children/{kid.pk}/").status_code == 200
    assert login(olive).get(f"/children/{kid.pk}/").status_code == 404


def test_list_query_count_is_the_same_for_3_and_30_episodes(henry, login):
    client = login(henry)
    for kid in builders.children(3):
        episode(kid, date(2025, 6, 2))
    small = builders.page_reads(client, "/early-help/")
    for kid in builders.children(27):
        episode(kid, date(2025, 6, 2))
    builders.analyze()
    large = builders.page_reads(client, "/early-help/")
    assert small == large
    assert "30 open episodes" in client.get("/early-help/").content.decode()


def _closed(child, reason, by, closed_on=date(2025, 6, 12)):
    """The episode closed by its manager through referral_close, which also ends the
    allocation: the worker and team keep the child in reach for the step-down."""
    referral = Referral.objects.get(child=child)
    return referral_close(referral=referral, by=by, closed_on=closed_on, reason=reason)


def test_a_worker_steps_a_child_down_to_early_help_at_a_cin_closure(alice, mary, child, login):
    referral = _closed(child, "RC9", mary)
    client = login(alice)
    url = f"/early-help/referrals/{referral.pk}/step-down/"
    assert url in client.get(f"/children/{child.pk}/").content.decode()
    response = _post(client, url, {
        **_date("requested_on", date(2025, 6, 13)), "reason": "Support with routines",
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/"
    e = EarlyHelpEpisode.objects.get(child=child)
    assert (e.route, e.from_referral_id, e.request_reason) == (
        "step_down_cin",
        referral.pk,
        "Support with routines",
    )
    # Stepped down once: the record no longer offers it.
    assert url not in client.get(f"/children/{child.pk}/").content.decode()


def test_a_step_down_needs_an_rc9_closure_and_saves_nothing_otherwise(alice, mary, child, login):
    referral = _closed(child, "RC8", mary)
    # Closed with no further action: the closure took the child out of the worker's reach.
    client = login(alice)
    url = f"/early-help/referrals/{referral.pk}/step-down/"
    assert client.get(f"/children/{child.pk}/").status_code == 404
    posted = {"form_token": "sd1", **_date("requested_on", date(2025, 6, 13)), "reason": "x"}
    assert client.post(url, posted).status_code == 404
    # And the service refuses it whoever asks.
    with pytest.raises(DomainError) as refused:
        services.episode_request(by=alice, child=child, requested_on=date(2025, 6, 13),
                                 route="step_down_cin", reason="x", referral=referral)  # fmt: skip
    assert refused.value.message == REFERRAL_NOT_STEP_DOWN
    assert not EarlyHelpEpisode.objects.exists()


def test_the_step_down_is_in_reach_for_four_weeks_after_the_closure(alice, mary, child, login):
    referral = _closed(child, "RC9", mary)
    url = f"/early-help/referrals/{referral.pk}/step-down/"
    for user in (alice, mary):
        assert url in login(user).get(f"/children/{child.pk}/").content.decode()
    with time_machine.travel(date(2025, 7, 11), tick=False):  # 29 days on
        for user in (alice, mary):
            assert login(user).get(f"/children/{child.pk}/").status_code == 404


def test_an_outsider_cannot_step_down_a_child_they_cannot_see(olive, mary, child, login):
    referral = _closed(child, "RC9", mary)
    assert login(olive).get(f"/early-help/referrals/{referral.pk}/step-down/").status_code == 404
    assert not EarlyHelpEpisode.objects.exists()

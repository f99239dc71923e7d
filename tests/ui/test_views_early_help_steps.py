"""The early help record offers the steps the episode's state machine allows from its
status and the user's role may take: the table below is written out by hand, so a step
offered in the wrong status or to a role that may not record fails here."""

import re
from datetime import date

import pytest

from accounts.models import Role
from earlyhelp import services
from earlyhelp.models import EarlyHelpEpisode
from tests.factories.earlyhelp import episode_in
from tests.ui import builders

pytestmark = pytest.mark.django_db

S = EarlyHelpEpisode.Status
EVERY_OPEN_STATUS = ["team", "close", "step-up"]
OFFERED = {
    S.REQUESTED: ["assess", *EVERY_OPEN_STATUS],
    S.ASSESSMENT: ["complete", *EVERY_OPEN_STATUS],
    S.ASSESSED: ["team", "plan", "close", "step-up"],
    S.PLAN: ["review", *EVERY_OPEN_STATUS],
    S.CLOSED: [],
}


def _offered(client, e) -> list[str]:
    page = client.get(f"/early-help/{e.pk}/").content.decode()
    return sorted(re.findall(rf'href="/early-help/{e.pk}/([\w-]+)/"', page))


@pytest.mark.parametrize("status", list(OFFERED))
def test_the_record_offers_what_the_status_and_the_role_allow(status, alice, team, login):
    e = episode_in(status, by=alice)  # requested by the worker: her team holds it
    auditor = builders.user_with_worker("audrey", Role.AUDITOR, team)

    assert _offered(login(alice), e) == sorted(OFFERED[status])
    # An auditor reads the episode and records nothing on it.
    response = login(auditor).get(f"/early-help/{e.pk}/")
    assert response.status_code == 200
    assert _offered(login(auditor), e) == []


def test_a_review_before_the_plan_is_refused_beside_the_date(alice, team, login):
    e = episode_in(S.ASSESSED, by=alice)
    page = login(alice).get(f"/early-help/{e.pk}/review/")
    initial = page.context["form"].initial
    token = {k: initial[k] for k in ("form_token", "version")}
    held = {"held_on_0": 20, "held_on_1": 3, "held_on_2": 2025, "progress": "Better"}
    response = login(alice).post(f"/early-help/{e.pk}/review/", {**token, **held})
    assert response.status_code == 200
    assert "A review needs a family plan in place" in response.content.decode()
    assert not e.reviews.exists()


def test_the_child_record_offers_a_request_only_while_no_episode_is_open(alice, henry, login):
    e = episode_in(S.PLAN, by=alice)
    client = login(henry)  # sees every child, the closed episode's too
    request_url = f'href="/early-help/children/{e.child_id}/request/"'
    assert request_url not in client.get(f"/children/{e.child_id}/").content.decode()
    services.episode_close(episode=e, by=alice, closed_on=date(2025, 4, 2), reason="needs_met")
    assert request_url in client.get(f"/children/{e.child_id}/").content.decode()

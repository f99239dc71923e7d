"""A manager varies a CP plan's visit standard from the child record (seed 000: visits
"at least two-weekly unless varied by a manager"); the next visit moves by the rule."""

import uuid
from datetime import date

import pytest

from casework import errors
from casework.models import ChildProtectionPlan
from tests.ui import builders

pytestmark = pytest.mark.django_db

ICPC_ON = date(2025, 6, 9)  # Monday; the authority's 10 working days: due 23 June


def _plan(alice) -> ChildProtectionPlan:
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 5, 1))[0]
    return builders.cp_plans([referral], icpc_on=ICPC_ON)[0]


def _post(client, plan, working_days, reason="Child settled, risk reduced at review"):
    plan.refresh_from_db()
    return client.post(
        f"/plans/{plan.pk}/visit-standard/",
        {
            "working_days": working_days,
            "reason": reason,
            "version": plan.version,
            "form_token": str(uuid.uuid4()),
        },  # fmt: skip
    )


def test_a_manager_varies_the_standard_and_the_next_visit_moves(alice, mary, login):
    plan = _plan(alice)
    client = login(mary)
    record = client.get(f"/children/{plan.child_id}/").content.decode()
    assert f'href="/plans/{plan.pk}/visit-standard/"' in record
    assert client.get(f"/plans/{plan.pk}/visit-standard/").status_code == 200
    response = _post(client, plan, "5")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.visit_standard_working_days == 5
    assert plan.next_visit_due_on == date(2025, 6, 16)  # 5 working days from 9 June
    why = plan.history.first().history_change_reason
    assert "Child settled, risk reduced at review" in why
    # Empty goes back to the authority's standard.
    assert _post(client, plan, "").status_code == 302
    plan.refresh_from_db()
    assert plan.visit_standard_working_days is None
    assert plan.next_visit_due_on == date(2025, 6, 23)


def test_a_social_worker_is_refused(alice, login):
    plan = _plan(alice)
    client = login(alice)
    assert client.get(f"/plans/{plan.pk}/visit-standard/").status_code == 403
    assert _post(client, plan, "5").status_code == 403
    plan.refresh_from_db()
    assert plan.visit_standard_working_days is None
    assert plan.next_visit_due_on == date(2025, 6, 23)


@pytest.mark.parametrize("value", ["0", "21"])
def test_out_of_range_is_an_error_beside_the_field(alice, mary, login, value):
    plan = _plan(alice)
    response = _post(login(mary), plan, value)
    assert response.status_code == 200
    message = errors.VISIT_STANDARD_RANGE.format(low=1, high=20)
    assert response.context["form"].errors["working_days"] == [message]
    assert message in response.content.decode()
    plan.refresh_from_db()
    assert plan.visit_standard_working_days is None


def test_a_reason_is_required(alice, mary, login):
    plan = _plan(alice)
    response = _post(login(mary), plan, "5", reason="")
    assert response.status_code == 200
    assert "working_days" not in response.context["form"].errors
    assert response.context["form"].errors["reason"]
    plan.refresh_from_db()
    assert plan.visit_standard_working_days is None

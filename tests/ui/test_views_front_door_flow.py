"""The front door without dead ends: find any child known to the authority, add a child
new to it on the contact form, see the contact on one's own front door at once, and
screen it seeing the reason and each child's history."""

import re
from datetime import date

import pytest

from accounts.models import Role
from casework.models import Child, ServiceArea, Team
from casework.selectors.search import RESTRICTED_MATCH
from referrals.models import Contact, ContactChild
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


@pytest.fixture
def tess(db):
    """A manager of an assessment team (not the front door)."""
    builders.authority()
    team = Team.objects.create(name="Assessment 7", service_area=ServiceArea.ASSESSMENT)
    return builders.user_with_worker("tess", Role.TEAM_MANAGER, team)


def test_search_finds_a_child_held_by_another_team_by_identity_only(tess, olive, henry, login):
    (theirs,) = builders.caseload(olive.worker, 1, referred_on=date(2025, 4, 1))
    Child.objects.filter(pk=theirs.child_id).update(last_name="Farrow")
    (hidden,) = builders.children(1, last_name="Farrell")
    builders.restrict(hidden, set_by=henry)
    body = login(tess).get("/contacts/new/?q=farr").content.decode()
    results = body.split('id="identity-results"')[1].split("</table>")[0]
    assert theirs.child.la_child_id in results and "Farrow" in results
    assert RESTRICTED_MATCH in results
    assert "Farrell" not in results and hidden.la_child_id not in results
    # Identity only: no link into the case record of a child the manager cannot open.
    assert f"/children/{theirs.child_id}/" not in results


def test_adding_children_from_the_results_fills_the_contact(tess, olive, login):
    kids = builders.caseload(olive.worker, 2, referred_on=date(2025, 4, 1))
    ids = [r.child.la_child_id for r in kids]
    response = login(tess).get(f"/contacts/new/?q=Kid&with={ids[0]}&with={ids[1]}")
    assert response.context["form"].initial["children"] == "\n".join(ids)
    assert "Added" in response.content.decode()


def _contact(token, **changes):
    return {
        "form_token": token,
        **_date("received_on", date(2025, 6, 16)),
        "received_time": "09:30",
        "source": "6",
        "reason": "School reports bruising on both siblings",
        **changes,
    }


def test_contact_with_a_known_and_a_new_child_is_on_the_recorders_front_door_at_once(
    tess, olive, login
):
    (known,) = builders.caseload(olive.worker, 1, referred_on=date(2025, 4, 1))
    client = login(tess)
    token = client.get("/contacts/new/").context["form"].initial["form_token"]
    data = _contact(
        token,
        children=known.child.la_child_id,
        new_first_name="Ada",
        new_last_name="Newcome",
        new_sex="F",
        **_date("new_date_of_birth", date(2021, 2, 3)),  # aged 4
    )
    response = client.post("/contacts/new/", data)
    assert response.status_code == 302 and response["Location"] == "/front-door/"
    contact = Contact.objects.get()
    new = Child.objects.get(last_name="Newcome")
    assert new.la_child_id == f"C{new.pk:08d}" and new.upn_unknown_reason == "UN6"
    assert set(ContactChild.objects.values_list("child_id", flat=True)) == {
        known.child_id,
        new.pk,
    }
    front_door = client.get("/front-door/").content.decode()
    assert f"/contacts/{contact.pk}/screen/" in front_door
    assert "Ada Newcome" in front_door


def test_a_half_entered_new_child_says_what_is_missing_and_saves_nothing(tess, login):
    client = login(tess)
    token = client.get("/contacts/new/").context["form"].initial["form_token"]
    response = client.post("/contacts/new/", _contact(token, new_first_name="Ada"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "new_last_name" in errors and "new_sex" in errors and "new_date_of_birth" in errors
    assert Contact.objects.count() == 0 and not Child.objects.filter(first_name="Ada").exists()


def test_a_contact_needs_a_child(tess, login):
    client = login(tess)
    token = client.get("/contacts/new/").context["form"].initial["form_token"]
    response = client.post("/contacts/new/", _contact(token))
    assert "Enter the LA child ID of at least one child, or add a new child" in (
        response.content.decode()
    )
    assert Contact.objects.count() == 0


def test_the_contact_form_records_census_reason_codes_as_checkboxes(tess, olive, login):
    (known,) = builders.caseload(olive.worker, 1, referred_on=date(2025, 4, 1))
    client = login(tess)
    page = client.get("/contacts/new/")
    body = page.content.decode()
    assert re.search(r'name="reason_codes"[^>]*value="3B"', body)
    assert "3B: Domestic abuse: parent/carer" in body
    token = page.context["form"].initial["form_token"]
    data = _contact(token, children=known.child.la_child_id, reason_codes=["3B", "10A"])
    assert client.post("/contacts/new/", data).status_code == 302
    assert Contact.objects.get().reason_codes == ["3B", "10A"]


def test_an_unknown_reason_code_is_an_error_beside_the_field_and_saves_nothing(tess, olive, login):
    (known,) = builders.caseload(olive.worker, 1, referred_on=date(2025, 4, 1))
    client = login(tess)
    token = client.get("/contacts/new/").context["form"].initial["form_token"]
    data = _contact(token, children=known.child.la_child_id, reason_codes=["3B", "99Z"])
    response = client.post("/contacts/new/", data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason_codes"]
    assert 'id="id_reason_codes_1_error"' in response.content.decode()
    assert Contact.objects.count() == 0


def test_screening_shows_the_reason_and_each_childs_history(mary, alice, login):
    (open_case,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    builders.cp_plans([open_case], icpc_on=date(2025, 5, 1))
    child = open_case.child
    builders.contacts([[child]], received_on=date(2025, 3, 3))  # an earlier contact
    contact = builders.contacts([[child]], received_on=date(2025, 6, 13))[0]
    Contact.objects.filter(pk=contact.pk).update(reason="Neighbour heard shouting")
    body = login(mary).get(f"/contacts/{contact.pk}/screen/").content.decode()
    assert "Neighbour heard shouting" in body
    history = body.split('id="child-history"')[1].split("</table>")[0]
    cells = [c.strip() for c in history.split('govuk-table__cell--numeric">')[1:3]]
    assert cells[0].startswith("1<") and cells[1].startswith("1<")  # 1 earlier, 1 referral
    assert "1 CP plan" in history
    assert "Child protection plan" in history and "open since 1 Apr 2025" in history
    assert alice.worker.last_name in history

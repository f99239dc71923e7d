"""The one visibility rule on "My work" and the front door: a restricted child the user
is not on the access list for, or a child entered in error, is never shown by name."""

from datetime import date

from casework.models import Child
from referrals.models import Contact, Referral
from tests.ui import builders


def _data(contact, decisions):
    return {
        "form_token": "t",
        "version": contact.version,
        "decided_on_0": 16,
        "decided_on_1": 6,
        "decided_on_2": 2025,
        **{f"decision_{child.pk}": value for child, value in decisions.items()},
    }


def test_my_work_leaves_out_restricted_and_entered_in_error_children(alice, henry, login):
    shown, restricted, in_error = builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    builders.assessments([shown, restricted, in_error])
    builders.restrict(restricted.child, set_by=henry)
    Child.objects.filter(pk=in_error.child_id).update(entered_in_error=True)
    body = login(alice).get("/my-work/").content.decode()
    assert "1 step due or overdue" in body
    assert shown.child.full_name in body
    assert restricted.child.full_name not in body
    assert in_error.child.full_name not in body


def test_my_work_shows_a_restricted_child_to_someone_on_its_access_list(alice, henry, login):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    builders.assessments([referral])
    builders.restrict(referral.child, set_by=henry, users=[alice])
    body = login(alice).get("/my-work/").content.decode()
    assert referral.child.full_name in body


def test_the_front_door_does_not_name_a_child_the_manager_cannot_see(mary, henry, login):
    seen, hidden = builders.children(2, last_name="Sibling")
    builders.restrict(hidden, set_by=henry)
    contact = builders.contacts([[seen, hidden]], received_on=date(2025, 6, 13))[0]
    client = login(mary)
    body = client.get("/front-door/").content.decode()
    assert seen.full_name in body
    assert hidden.full_name not in body and hidden.la_child_id not in body
    assert "A child you cannot see" in body
    url = f"/contacts/{contact.pk}/screen/"
    page = client.get(url).content.decode()
    assert f"Decision for {seen.full_name}" in page
    assert "Decision for child 2 on this contact (a child you cannot see)" in page
    assert hidden.full_name not in page and hidden.la_child_id not in page
    response = client.post(url, _data(contact, {seen: "referral", hidden: "nfa"}))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == Contact.Status.DECIDED
    assert Referral.objects.filter(child=seen).count() == 1


def test_a_refusal_about_a_hidden_child_does_not_name_them(mary, henry, login):
    seen, hidden = builders.children(2, last_name="Sibling")
    builders.restrict(hidden, set_by=henry)
    contact = builders.contacts([[seen, hidden]], received_on=date(2025, 6, 13))[0]
    # "Existing case" for a child with no open episode is refused, naming the child.
    data = _data(contact, {seen: "nfa", hidden: "existing_case"})
    response = login(mary).post(f"/contacts/{contact.pk}/screen/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert hidden.full_name not in body and hidden.la_child_id not in body
    contact.refresh_from_db()
    assert contact.status == Contact.Status.AWAITING_DECISION


def test_a_contact_child_entered_in_error_is_not_named(mary, login):
    seen, gone = builders.children(2, last_name="Sibling")
    Child.objects.filter(pk=gone.pk).update(entered_in_error=True)
    builders.contacts([[seen, gone]], received_on=date(2025, 6, 13))
    body = login(mary).get("/front-door/").content.decode()
    assert seen.full_name in body and gone.full_name not in body

"""Case notes: one form from the child or from My work; the note, contact reasons,
assessment summaries and visit notes read on the child's chronology."""

from datetime import date

from casework.models import Assessment, CaseNote, Visit, VisitKind
from casework.services.notes import NOTE_SEEN_REQUIRED
from referrals.models import Contact
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _post(client, url, **data):
    token = client.get(url).context["form"].initial["form_token"]
    day = _date("occurred_on", date(2025, 6, 13))
    return client.post(url, {"form_token": token, **day, **data})


def test_a_case_note_from_my_work_returns_there_and_reads_on_the_chronology(alice, login):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    client = login(alice)
    url = f"/children/{referral.child_id}/case-note/?from=my-work"
    assert url in client.get("/my-work/").content.decode()
    response = _post(
        client,
        url,
        kind="home_visit",
        child_seen="yes",
        seen_alone="yes",
        text="Kitchen clean, food in the fridge. Child showed me her room.",
    )
    assert response.status_code == 302 and response["Location"] == "/my-work/"
    note = CaseNote.objects.get()
    assert (note.child_id, note.referral_id, note.recorded_by) == (
        referral.child_id,
        referral.pk,
        alice,
    )
    assert note.child_seen is True and note.seen_alone is True
    body = client.get(f"/children/{referral.child_id}/").content.decode()
    assert "Home visit" in body and "Child seen alone: Kitchen clean, food in the fridge." in body


def test_a_visit_note_must_say_whether_the_child_was_seen(alice, login):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    client = login(alice)
    response = _post(
        client, f"/children/{referral.child_id}/case-note/", kind="home_visit", text="Visited"
    )
    assert response.status_code == 200
    assert NOTE_SEEN_REQUIRED in response.content.decode()
    assert CaseNote.objects.count() == 0


def test_a_phone_note_keeps_no_seen_answer(alice, login):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    _post(
        login(alice),
        f"/children/{referral.child_id}/case-note/",
        kind="phone",
        child_seen="yes",
        text="Spoke to the school.",
    )
    note = CaseNote.objects.get()
    assert note.child_seen is None and note.seen_alone is None


def test_case_notes_are_only_for_children_one_may_see(alice, olive, login):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    response = login(olive).get(f"/children/{referral.child_id}/case-note/")
    assert response.status_code in (403, 404)


def test_chronology_shows_contact_reasons_assessment_summaries_and_visit_notes(alice, login):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))
    contact = builders.contacts([[referral.child]], received_on=date(2025, 3, 31))[0]
    Contact.objects.filter(pk=contact.pk).update(reason="Nursery saw a burn on her arm")
    (a,) = builders.assessments([referral], status=Assessment.Status.AUTHORISED)
    Assessment.objects.filter(pk=a.pk).update(
        authorised_on=date(2025, 5, 1), outcome="cin_plan", summary="Needs a CIN plan."
    )
    Visit.objects.create(
        child=referral.child,
        referral=referral,
        kind=VisitKind.CIN,
        visited_on=date(2025, 6, 2),
        child_seen=True,
        notes="Reviewed the plan with mum.",
    )
    body = login(alice).get(f"/children/{referral.child_id}/").content.decode()
    assert "Nursery saw a burn on her arm" in body
    assert "Child in need plan: Needs a CIN plan." in body
    assert "Child seen: Reviewed the plan with mum." in body

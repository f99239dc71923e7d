"""Managers see what they sign: the queue links to a page with the assessment (or s47
outcome) laid out and the decision on the same page."""

from datetime import date

from casework import errors, services
from casework.models import Assessment, Section47Enquiry, StrategyDiscussion
from tests.ui import builders

REFERRED = date(2025, 4, 1)


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _submitted_assessment(alice) -> Assessment:
    referrals = builders.caseload(alice.worker, 1, referred_on=REFERRED)
    (a,) = builders.assessments(referrals, status=Assessment.Status.SUBMITTED, worker=alice.worker)
    Assessment.objects.filter(pk=a.pk).update(
        child_seen_on=date(2025, 4, 3),
        completed_on=date(2025, 5, 20),
        submitted_on=date(2025, 5, 21),
        outcome="cin_plan",
        factors=["2B", "3A"],
        summary="Mother's drinking has increased.\nA CIN plan with alcohol support is needed.",
    )
    return Assessment.objects.get(pk=a.pk)


def test_queue_links_to_a_page_showing_what_is_signed(alice, mary, login):
    assessment = _submitted_assessment(alice)
    client = login(mary)
    queue = client.get("/queues/authorisation/").content.decode()
    url = f"/assessments/{assessment.pk}/decision/"
    assert url in queue
    page = client.get(url).content.decode()
    assert "Child in need plan" in page  # outcome
    assert "2B: Drug misuse: parent/carer" in page  # factors with their labels
    assert "Mother&#x27;s drinking has increased." in page  # the analysis
    assert "3 April 2025" in page  # child seen
    assert "33 working days (within the 45-day timescale)" in page  # 3 bank holidays
    assert 'name="decision"' in page and "Authorise the assessment" in page


def test_manager_authorises_from_the_page(alice, mary, login):
    assessment = _submitted_assessment(alice)
    client = login(mary)
    url = f"/assessments/{assessment.pk}/decision/"
    form = client.get(url).context["form"]
    data = {
        "form_token": form.initial["form_token"],
        "version": assessment.version,
        "decision": "authorise",
        **_date("decided_on", date(2025, 6, 16)),
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == "/queues/authorisation/"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
    assert assessment.authorised_on == date(2025, 6, 16)
    assert assessment.authorised_by == mary


def test_returning_without_a_reason_says_so_beside_the_field_and_saves_nothing(alice, mary, login):
    assessment = _submitted_assessment(alice)
    client = login(mary)
    url = f"/assessments/{assessment.pk}/decision/"
    data = {"form_token": "return-once", "version": assessment.version, "decision": "return"}
    data.update(_date("decided_on", date(2025, 6, 16)))
    response = client.post(url, data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.times_returned == 0


def test_authorising_before_the_child_is_seen_says_so_beside_the_decision(alice, mary, login):
    assessment = _submitted_assessment(alice)
    Assessment.objects.filter(pk=assessment.pk).update(child_seen_on=None)
    client = login(mary)
    url = f"/assessments/{assessment.pk}/decision/"
    data = {"form_token": "unseen-once", "version": assessment.version, "decision": "authorise"}
    data.update(_date("decided_on", date(2025, 6, 16)))
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["decision"] == [errors.ASSESSMENT_CHILD_NOT_SEEN]
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.authorised_on is None


def test_decision_page_is_for_managers_and_only_for_waiting_records(alice, mary, login):
    assessment = _submitted_assessment(alice)
    url = f"/assessments/{assessment.pk}/decision/"
    assert login(alice).get(url).status_code == 403
    services.assessment_authorise(assessment=assessment, by=mary, authorised_on=date(2025, 6, 13))
    page = login(mary).get(url).content.decode()
    assert "not waiting for a decision: it is authorised" in page
    assert 'name="decision"' not in page and "Mother&#x27;s drinking" in page
    assert login(mary).get("/assessments/999999/decision/").status_code == 404


def test_s47_sign_off_page_shows_the_outcome_and_the_strategy_discussion(alice, mary, login):
    referrals = builders.caseload(alice.worker, 1, referred_on=REFERRED)
    (s47,) = builders.s47s(
        referrals, held_on=date(2025, 6, 2), status=Section47Enquiry.Status.SUBMITTED
    )
    Section47Enquiry.objects.filter(pk=s47.pk).update(ended_on=date(2025, 6, 12))
    StrategyDiscussion.objects.filter(pk=s47.strategy_discussion_id).update(
        attendees="Police, school nurse", notes="Bruising reported by school."
    )
    client = login(mary)
    url = f"/s47s/{s47.pk}/decision/"
    assert url in client.get("/queues/authorisation/").content.decode()
    page = client.get(url).content.decode()
    assert "Bruising reported by school." in page and "Police, school nurse" in page
    assert "Initial child protection conference" in page or "ICPC" in page
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {"form_token": form.initial["form_token"], "version": s47.version, "decision": "authorise"},
    )
    assert response.status_code == 302
    s47.refresh_from_db()
    assert s47.status == Section47Enquiry.Status.COMPLETED and s47.authorised_by == mary


def test_the_old_step_pages_lead_to_the_decision_pages_and_decide_nothing(alice, mary, login):
    assessment = _submitted_assessment(alice)
    (s47,) = builders.s47s(
        builders.caseload(alice.worker, 1, referred_on=REFERRED),
        held_on=date(2025, 6, 2),
        status=Section47Enquiry.Status.SUBMITTED,
    )
    client = login(mary)
    for step in ("authorise", "return"):
        old = f"/assessments/{assessment.pk}/{step}/"
        response = client.get(old)
        assert response.status_code == 302
        assert response["Location"] == f"/assessments/{assessment.pk}/decision/"
        # A form posted to the old address decides nothing: the manager sees what is signed.
        posted = client.post(old, {"version": assessment.version, "decision": "authorise"})
        assert posted["Location"] == f"/assessments/{assessment.pk}/decision/"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    old = f"/s47s/{s47.pk}/sign-off/"
    assert client.post(old, {"decision": "authorise"})["Location"] == f"/s47s/{s47.pk}/decision/"
    s47.refresh_from_db()
    assert s47.status == Section47Enquiry.Status.SUBMITTED

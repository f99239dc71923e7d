"""Each resource's writes end to end, through the same services the pages use."""

import json

from accounts.models import AuditEvent
from casework import errors
from casework.models import (
    Allocation,
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
)
from referrals.models import Contact, Referral
from tests.api.test_writes import post
from tests.factories.casework import ChildFactory


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def test_a_contact_about_two_children_is_screened_and_one_becomes_a_referral(hos, client_for):
    client = client_for(hos)
    first, second = ChildFactory(), ChildFactory()
    recorded = post(
        client,
        "/api/v1/contacts/",
        {
            "received_at": "2025-03-03T09:30:00Z",
            "source": "6",
            "reason": "Police attended a domestic incident",
            "children": [first.pk, second.pk],
        },
    )
    assert recorded.status_code == 201, recorded.json()
    assert len(recorded.json()["children"]) == 2
    screened = post(
        client,
        f"/api/v1/contacts/{recorded.json()['id']}/screen/",
        {
            "decisions": [
                {"child": first.pk, "decision": "referral"},
                {"child": second.pk, "decision": "nfa"},
            ],
            "decided_at": "2025-03-03T15:00:00Z",
        },
        etag=recorded["ETag"],
    )
    assert screened.status_code == 200, screened.json()
    assert screened.json()["status"] == "decided"
    assert Referral.objects.filter(child=first).exists()
    assert not Referral.objects.filter(child=second).exists()


def test_a_contact_takes_and_returns_its_census_reason_codes(hos, client_for):
    client = client_for(hos)
    body = {
        "received_at": "2025-03-03T09:30:00Z",
        "source": "6",
        "reason": "Police attended a domestic incident",
        "children": [ChildFactory().pk],
        "reason_codes": ["3B", "2B"],
    }
    recorded = post(client, "/api/v1/contacts/", body)
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["reason_codes"] == ["3B", "2B"]
    assert Contact.objects.get().reason_codes == ["3B", "2B"]
    read = client.get(f"/api/v1/contacts/{recorded.json()['id']}/").json()
    assert read["reason_codes"] == ["3B", "2B"]
    refused = post(client, "/api/v1/contacts/", {**body, "reason_codes": ["99Z"]})
    assert refused.status_code == 400 and "reason_codes" in json.dumps(refused.json())
    assert Contact.objects.count() == 1


def test_screening_that_leaves_a_child_undecided_is_400_beside_decisions(hos, client_for):
    client = client_for(hos)
    first, second = ChildFactory(), ChildFactory()
    recorded = post(
        client,
        "/api/v1/contacts/",
        {
            "received_at": "2025-03-03T09:30:00Z",
            "source": "6",
            "reason": "Concern",
            "children": [first.pk, second.pk],
        },
    )
    screened = post(
        client,
        f"/api/v1/contacts/{recorded.json()['id']}/screen/",
        {"decisions": [{"child": first.pk, "decision": "nfa"}]},
        etag=recorded["ETag"],
    )
    assert screened.status_code == 400
    assert list(screened.json()) == ["decisions"]


def test_a_manager_allocates_an_episode_and_ends_the_allocation(referral, sw, tm, client_for):
    client = client_for(tm)
    allocated = post(
        client,
        f"/api/v1/referrals/{referral.pk}/allocate/",
        {"worker": sw.worker.pk, "started_on": "2025-03-03"},
        key="alloc-1",
    )
    assert allocated.status_code == 201, allocated.json()
    again = post(
        client,
        f"/api/v1/referrals/{referral.pk}/allocate/",
        {"worker": sw.worker.pk, "started_on": "2025-03-03"},
        key="alloc-1",
    )
    assert again.json() == allocated.json()
    assert Allocation.objects.filter(referral=referral).count() == 1
    url = f"/api/v1/allocations/{allocated.json()['id']}"
    ended = post(
        client,
        f"{url}/end/",
        {"ended_on": "2025-04-01", "reason": "Worker on leave"},
        etag=etag_of(client, f"{url}/"),
    )
    assert ended.status_code == 200, ended.json()
    assert ended.json()["ended_on"] == "2025-04-01"


def test_closing_an_episode_with_work_outstanding_is_400(allocated, sw, tm, client_for):
    from tests.factories.flows import assessment_in

    assessment_in("in_progress", referral=allocated, worker_user=sw, manager=tm)
    client = client_for(tm)
    url = f"/api/v1/referrals/{allocated.pk}"
    response = post(
        client,
        f"{url}/close/",
        {"closed_on": "2025-05-01", "closure_reason": "RC8"},
        etag=etag_of(client, f"{url}/"),
    )
    assert response.status_code == 400
    assert response.json() == {
        "closed_on": [
            errors.EPISODE_CLOSURE_OUTSTANDING.format(outstanding="1 assessment not authorised")
        ]
    }


def test_the_child_protection_pathway_runs_through_the_api(allocated, hos, client_for):
    client = client_for(hos)
    discussion = post(
        client,
        "/api/v1/strategy-discussions/",
        {"referral": allocated.pk, "held_on": "2025-03-05", "s47_required": True},
    )
    assert discussion.status_code == 201, discussion.json()
    s47_url = f"/api/v1/s47-enquiries/{discussion.json()['s47']}"
    outcome = post(
        client,
        f"{s47_url}/outcome/",
        {"ended_on": "2025-03-10", "outcome": "icpc"},
        etag=etag_of(client, f"{s47_url}/"),
    )
    assert outcome.status_code == 200, outcome.json()
    signed_off = post(client, f"{s47_url}/authorise/", {}, etag=outcome["ETag"])
    assert signed_off.status_code == 200, signed_off.json()
    conference = ChildProtectionConference.objects.get(s47_id=discussion.json()["s47"])
    c_url = f"/api/v1/conferences/{conference.pk}"
    held = post(
        client,
        f"{c_url}/hold/",
        {"held_on": "2025-03-20", "outcome": "plan"},
        etag=etag_of(client, f"{c_url}/"),
    )
    assert held.status_code == 200, held.json()
    plan = post(client, "/api/v1/cp-plans/", {"icpc": conference.pk, "category": "NEG"})
    assert plan.status_code == 201, plan.json()
    assert plan.json()["started_on"] == "2025-03-20"
    visit = post(
        client,
        "/api/v1/visits/",
        {"referral": allocated.pk, "kind": "cp", "visited_on": "2025-03-25", "child_seen": True},
    )
    assert visit.status_code == 201, visit.json()
    p_url = f"/api/v1/cp-plans/{plan.json()['id']}"
    review = post(
        client,
        f"{p_url}/review/",
        {"held_on": "2025-05-20", "outcome": "end_plan"},
        etag=etag_of(client, f"{p_url}/"),
    )
    assert review.status_code == 201, review.json()
    assert review.json()["kind"] == "review"
    assert ChildProtectionPlan.objects.get().status == ChildProtectionPlan.Status.ENDED
    assert Section47Enquiry.objects.get().status == Section47Enquiry.Status.COMPLETED


def test_holding_a_conference_twice_is_refused(allocated, hos, client_for):
    client = client_for(hos)
    discussion = post(
        client,
        "/api/v1/strategy-discussions/",
        {"referral": allocated.pk, "held_on": "2025-03-05", "s47_required": True},
    )
    s47_url = f"/api/v1/s47-enquiries/{discussion.json()['s47']}"
    outcome = post(
        client,
        f"{s47_url}/outcome/",
        {"ended_on": "2025-03-10", "outcome": "nfa"},
        etag=etag_of(client, f"{s47_url}/"),
    )
    # Signing off twice: the second is an illegal transition from "completed".
    done = post(client, f"{s47_url}/authorise/", {}, etag=outcome["ETag"])
    twice = post(client, f"{s47_url}/authorise/", {}, etag=done["ETag"])
    assert twice.status_code == 400
    assert list(twice.json()) == ["status"]


def test_a_cin_plan_starts_and_ends(allocated, sw, client_for):
    client = client_for(sw)
    plan = post(
        client, "/api/v1/cin-plans/", {"referral": allocated.pk, "started_on": "2025-04-01"}
    )
    assert plan.status_code == 201, plan.json()
    ended = post(
        client,
        f"/api/v1/cin-plans/{plan.json()['id']}/end/",
        {"ended_on": "2025-05-01"},
        etag=plan["ETag"],
    )
    assert ended.status_code == 200, ended.json()
    assert ended.json()["status"] == "ended"


CHILD = {
    "la_child_id": "API0001",
    "first_name": "Ada",
    "last_name": "Example",
    "sex": "F",
    "date_of_birth": "2016-05-01",
    "upn_unknown_reason": "UN3",
}


def test_a_child_is_added_and_changed_with_if_match(hos, client_for):
    client = client_for(hos)
    added = post(client, "/api/v1/children/", CHILD)
    assert added.status_code == 201, added.json()
    url = f"/api/v1/children/{added.json()['id']}/"
    changed = client.patch(
        url, {"postcode": "SW1A 1AA"}, format="json", HTTP_IF_MATCH=added["ETag"]
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["postcode"] == "SW1A 1AA"
    stale = client.patch(url, {"postcode": "N1 1AA"}, format="json", HTTP_IF_MATCH=added["ETag"])
    assert stale.status_code == 412
    assert client.patch(url, {"postcode": "N1 1AA"}, format="json").status_code == 428
    assert client.get(url).json()["postcode"] == "SW1A 1AA"


def test_a_census_rule_on_a_child_is_400_beside_the_field(hos, client_for):
    response = post(client_for(hos), "/api/v1/children/", {**CHILD, "upn_unknown_reason": ""})
    assert response.status_code == 400
    assert response.json() == {"upn": [errors.CHILD_UPN_REQUIRED]}


def test_each_child_endpoint_audits_once_per_request(allocated, sw, client_for):

    client = client_for(sw)

    def rows_written_by(method, *args):
        before = AuditEvent.objects.filter(user=sw).count()
        response = method(*args)
        new = AuditEvent.objects.filter(user=sw).order_by("pk")[before:]
        return response, [(e.child_id, e.action, e.path) for e in new]

    _, rows = rows_written_by(client.get, f"/api/v1/referrals/{allocated.pk}/")
    assert rows == [(allocated.child_id, "view", f"/api/v1/referrals/{allocated.pk}/")]
    _, rows = rows_written_by(client.get, "/api/v1/referrals/")
    # A list audits each child it shows (issue 16, finding 5).
    assert rows == [(allocated.child_id, "view", "/api/v1/referrals/")]
    _, rows = rows_written_by(client.get, f"/api/v1/children/{allocated.child_id}/")
    assert rows == [(allocated.child_id, "view", f"/api/v1/children/{allocated.child_id}/")]
    plan, rows = rows_written_by(
        post, client, "/api/v1/cin-plans/", {"referral": allocated.pk, "started_on": "2025-04-01"}
    )
    assert plan.status_code == 201
    assert rows == [(allocated.child_id, "change", "/api/v1/cin-plans/")]
    missing, rows = rows_written_by(client.get, "/api/v1/children/999999/")
    assert (missing.status_code, rows) == (404, [])  # a 404 shows nothing

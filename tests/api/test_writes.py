"""Writes go through the services: transitions, refusals, concurrency and idempotency."""

from datetime import date

import pytest

from casework import errors
from casework.models import Assessment
from referrals.models import Referral
from tests.factories.casework import ChildFactory
from tests.factories.flows import assessment_in

START = "2025-03-04"


def post(client, url, data=None, *, etag=None, key=None, **extra):
    headers = {}
    if etag is not None:
        headers["HTTP_IF_MATCH"] = etag
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url, data or {}, format="json", **headers, **extra)


@pytest.fixture
def assessment(allocated, sw, tm):
    return assessment_in(
        Assessment.Status.IN_PROGRESS, referral=allocated, worker_user=sw, manager=tm
    )


def test_an_assessment_goes_from_start_to_authorised_through_its_actions(
    allocated, sw, tm, client_for
):
    worker, manager = client_for(sw), client_for(tm)
    started = post(worker, "/api/v1/assessments/", {"referral": allocated.pk, "started_on": START})
    assert started.status_code == 201, started.json()
    url = f"/api/v1/assessments/{started.json()['id']}"
    steps = [
        (worker, "child-seen", {"seen_on": START}),
        (
            worker,
            "complete",
            {"completed_on": "2025-03-10", "outcome": "cin_plan", "factors": ["3B"]},
        ),
        (worker, "submit", {"submitted_on": "2025-03-11"}),
        (manager, "authorise", {"authorised_on": "2025-03-12"}),
    ]
    etag = started["ETag"]
    for client, step, data in steps:
        response = post(client, f"{url}/{step}/", data, etag=etag)
        assert response.status_code == 200, (step, response.json())
        assert response["ETag"] != etag
        etag = response["ETag"]
    body = worker.get(f"{url}/").json()
    assert body["status"] == "authorised"
    assert body["authorised_on"] == "2025-03-12"


def test_an_illegal_transition_is_400_with_the_reason_and_changes_nothing(
    assessment, tm, client_for
):
    response = post(
        client_for(tm),
        f"/api/v1/assessments/{assessment.pk}/authorise/",
        {"authorised_on": "2025-03-12"},
        etag=f'"{assessment.version}"',
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": [
            errors.NOT_ALLOWED_FROM_STATUS.format(
                action="authorise", thing="an assessment", status="in progress"
            )
        ]
    }
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    assert assessment.authorised_on is None


def test_a_census_rule_is_400_beside_the_field(assessment, sw, client_for):
    response = post(
        client_for(sw),
        f"/api/v1/assessments/{assessment.pk}/child-seen/",
        {"seen_on": "2025-01-01"},
        etag=f'"{assessment.version}"',
    )
    assert response.status_code == 400
    assert response.json() == {
        "child_seen_on": [errors.DATE_BEFORE_REFERRAL.format(referred_on=date(2025, 3, 3))]
    }


def test_a_role_that_may_not_act_gets_403(allocated, sw, tm, client_for):
    submitted = assessment_in(
        Assessment.Status.SUBMITTED, referral=allocated, worker_user=sw, manager=tm
    )
    response = post(
        client_for(sw),
        f"/api/v1/assessments/{submitted.pk}/authorise/",
        {"authorised_on": "2025-03-12"},
        etag=f'"{submitted.version}"',
    )
    assert response.status_code == 403
    assert "does not allow you to authorise an assessment" in response.json()["detail"]


def test_a_stale_if_match_is_412_and_nothing_is_overwritten(assessment, sw, client_for):
    client = client_for(sw)
    url = f"/api/v1/assessments/{assessment.pk}/child-seen/"
    stale = f'"{assessment.version}"'
    assert post(client, url, {"seen_on": "2025-03-05"}, etag=stale).status_code == 200
    response = post(client, url, {"seen_on": START}, etag=stale)
    assert response.status_code == 412
    assert "changed by someone else" in response.json()["detail"]
    assessment.refresh_from_db()
    assert assessment.child_seen_on == date(2025, 3, 5)


def test_a_change_without_if_match_is_428(assessment, sw, client_for):
    response = post(
        client_for(sw), f"/api/v1/assessments/{assessment.pk}/child-seen/", {"seen_on": START}
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]


def test_a_retried_create_with_the_same_key_creates_one_record(hos, client_for):
    client, child = client_for(hos), ChildFactory()
    data = {"child": child.pk, "referred_on": "2025-05-01", "source": "2A"}
    first = post(client, "/api/v1/referrals/", data, key="retry-1")
    again = post(client, "/api/v1/referrals/", data, key="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"]
    assert Referral.objects.filter(child=child).count() == 1


def test_reusing_a_key_for_a_different_request_is_422(hos, client_for):
    client = client_for(hos)
    data = {"child": ChildFactory().pk, "referred_on": "2025-05-01", "source": "2A"}
    assert post(client, "/api/v1/referrals/", data, key="k").status_code == 201
    other = {**data, "child": ChildFactory().pk}
    assert post(client, "/api/v1/referrals/", other, key="k").status_code == 422
    assert Referral.objects.count() == 1


def test_a_refused_create_keeps_no_key_so_the_corrected_retry_works(hos, client_for):
    client, child = client_for(hos), ChildFactory()
    data = {"child": child.pk, "referred_on": "2030-01-01", "source": "2A"}
    refused = post(client, "/api/v1/referrals/", data, key="k2")
    assert refused.status_code == 400
    assert refused.json() == {"referred_on": [errors.DATE_IN_FUTURE]}
    fixed = post(client, "/api/v1/referrals/", {**data, "referred_on": "2025-05-01"}, key="k2")
    assert fixed.status_code == 201


def test_the_same_key_from_another_user_is_another_request(hos, administrator, client_for):
    data = {"child": ChildFactory().pk, "referred_on": "2025-05-01", "source": "2A"}
    assert post(client_for(hos), "/api/v1/referrals/", data, key="shared").status_code == 201
    second = post(client_for(administrator), "/api/v1/referrals/", data, key="shared")
    assert second.status_code == 400  # a second open episode: really attempted, and refused
    assert "child" in second.json()


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("null", "application/json"),
    ],
)
def test_malformed_bodies_are_400(assessment, sw, client_for, body, content_type):
    response = client_for(sw).post(
        f"/api/v1/assessments/{assessment.pk}/child-seen/",
        body,
        content_type=content_type,
        HTTP_IF_MATCH=f'"{assessment.version}"',
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "data, field",
    [
        ({"referral": "x", "started_on": START}, "referral"),
        ({"referral": 10**30, "started_on": START}, "referral"),
        ({"referral": 999999, "started_on": START}, "referral"),
        ({"referral": True, "started_on": START}, "referral"),
        ({"started_on": "yesterday"}, "started_on"),
    ],
)
def test_wrong_types_and_unknown_ids_in_the_body_are_400(allocated, sw, client_for, data, field):
    response = post(client_for(sw), "/api/v1/assessments/", data)
    assert response.status_code == 400
    assert field in response.json()


def test_an_unknown_record_is_404(sw, client_for):
    response = post(
        client_for(sw), "/api/v1/assessments/999999/child-seen/", {"seen_on": START}, etag='"1"'
    )
    assert response.status_code == 404


def test_an_outsider_cannot_change_a_record_they_cannot_see(assessment, outsider, client_for):
    response = post(
        client_for(outsider),
        f"/api/v1/assessments/{assessment.pk}/child-seen/",
        {"seen_on": START},
        etag=f'"{assessment.version}"',
    )
    assert response.status_code == 404


def test_a_stale_if_match_on_an_s47_or_an_episode_is_412_from_the_service(
    allocated, sw, tm, client_for
):
    """The If-Match goes to the service as its expected version (issue 18 item 4): a stale
    one on the s47 outcome and on the episode's closure is 412 and changes nothing (checked
    before the body, then by the service under its lock: tests/api/test_if_match.py)."""
    from casework.models import Section47Enquiry
    from tests.factories.flows import s47_in

    s47 = s47_in(Section47Enquiry.Status.OPEN, referral=allocated, worker_user=sw, manager=tm)
    stale = f'"{s47.version + 1}"'
    outcome = {"ended_on": "2025-03-20", "outcome": "nfa"}
    response = post(client_for(sw), f"/api/v1/s47-enquiries/{s47.pk}/outcome/", outcome, etag=stale)
    assert response.status_code == 412, response.json()
    s47.refresh_from_db()
    assert (s47.status, s47.outcome) == (Section47Enquiry.Status.OPEN, "")
    closure = {"closed_on": "2025-03-21", "closure_reason": "RC8"}
    url = f"/api/v1/referrals/{allocated.pk}/close/"
    stale = f'"{allocated.version + 5}"'
    assert post(client_for(tm), url, closure, etag=stale).status_code == 412
    allocated.refresh_from_db()
    assert allocated.status == Referral.Status.OPEN

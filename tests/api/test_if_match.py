"""If-Match is read before the request body (RFC 9110 §13.2.1): a stale copy is 412 even
when the body is bad too (re-fetch first), an If-Match that names no version is 428 or a
400 with the reason, and any one of several listed versions will do (issue 18 item 4)."""

from datetime import date

import pytest

from api.exceptions import IF_MATCH_ANY, IF_MATCH_MALFORMED
from casework.models import Assessment, Child
from tests.factories.flows import assessment_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(allocated, sw, tm):
    return assessment_in(
        Assessment.Status.IN_PROGRESS, referral=allocated, worker_user=sw, manager=tm
    )


def seen(client, assessment, body, if_match=None):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    url = f"/api/v1/assessments/{assessment.pk}/child-seen/"
    return client.post(url, body, format="json", **headers)


def test_a_stale_if_match_is_412_even_when_the_body_is_invalid(assessment, sw, client_for):
    stale = f'"{assessment.version + 1}"'
    response = seen(client_for(sw), assessment, {"seen_on": "not a date"}, stale)
    assert response.status_code == 412, response.json()
    assert "changed by someone else" in response.json()["detail"]


def test_a_stale_if_match_on_a_patch_with_an_invalid_body_is_412(allocated, sw, client_for):
    child = allocated.child
    response = client_for(sw).patch(
        f"/api/v1/children/{child.pk}/",
        {"date_of_birth": "soon"},
        format="json",
        HTTP_IF_MATCH=f'"{child.version + 1}"',
    )
    assert response.status_code == 412, response.json()


def test_a_current_if_match_with_an_invalid_body_is_400_by_field(assessment, sw, client_for):
    response = seen(
        client_for(sw), assessment, {"seen_on": "not a date"}, f'"{assessment.version}"'
    )
    assert response.status_code == 400
    assert "seen_on" in response.json()


def test_one_matching_tag_in_a_list_is_enough(assessment, sw, client_for):
    listed = f'"{assessment.version + 7}", "{assessment.version}" , "{assessment.version + 8}"'
    response = seen(client_for(sw), assessment, {"seen_on": "2025-03-05"}, listed)
    assert response.status_code == 200, response.json()
    assessment.refresh_from_db()
    assert assessment.child_seen_on == date(2025, 3, 5)


@pytest.mark.parametrize("tags", ['"{v1}", "{v2}"', '"abc"', '"1234567890", "a,b"'])
def test_well_formed_tags_none_of_them_current_are_412(assessment, sw, client_for, tags):
    """An entity tag this API never issued is not malformed: it just does not match."""
    listed = tags.format(v1=assessment.version + 1, v2=assessment.version + 2)
    response = seen(client_for(sw), assessment, {"seen_on": "2025-03-05"}, listed)
    assert response.status_code == 412
    assessment.refresh_from_db()
    assert assessment.child_seen_on is None


def test_if_match_star_names_no_version_so_it_is_428_with_the_reason(assessment, sw, client_for):
    response = seen(client_for(sw), assessment, {"seen_on": "2025-03-05"}, "*")
    assert response.status_code == 428
    assert response.json()["detail"] == IF_MATCH_ANY
    assessment.refresh_from_db()
    assert assessment.child_seen_on is None


@pytest.mark.parametrize("header", ["3", '"3', '"3", 4', '*, "3"', '"3" "4"', "W/3"])
def test_a_malformed_if_match_is_400_with_the_reason(assessment, sw, client_for, header):
    response = seen(client_for(sw), assessment, {"seen_on": "2025-03-05"}, header)
    assert response.status_code == 400
    assert response.json()["detail"] == IF_MATCH_MALFORMED
    assessment.refresh_from_db()
    assert assessment.child_seen_on is None


@pytest.mark.parametrize("header", [None, "", "  "])
def test_a_missing_or_empty_if_match_is_428(allocated, sw, client_for, header):
    child = allocated.child
    extra = {} if header is None else {"HTTP_IF_MATCH": header}
    response = client_for(sw).patch(
        f"/api/v1/children/{child.pk}/", {"first_name": "Ada"}, format="json", **extra
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert not Child.objects.filter(first_name="Ada").exists()


def test_the_service_still_compares_under_its_lock(assessment, sw, client_for, monkeypatch):
    """The early check reads the row unlocked; a change landing after it is caught by the
    service's own comparison (``lock_at_version``), still a 412 that saves nothing."""
    monkeypatch.setattr("api.concurrency.check_version", lambda row, versions: None)
    stale = f'"{assessment.version + 1}"'
    response = seen(client_for(sw), assessment, {"seen_on": "2025-03-05"}, stale)
    assert response.status_code == 412
    assessment.refresh_from_db()
    assert assessment.child_seen_on is None

"""Issue 18 items 3 and 4: each assessment transition is decided once (a pure decision the
service and the importer share), and the service owns its version check and row lock."""

from datetime import date

import pytest

from casework import errors, services
from casework.errors import ConflictError, DomainError
from casework.models import Assessment
from casework.services.assessments import completed_by, decide_authorise
from tests.factories.flows import assessment_in

S = Assessment.Status


@pytest.fixture
def submitted(referral, sw, tm):
    return assessment_in(S.SUBMITTED, referral=referral, worker_user=sw, manager=tm)


def test_the_decision_names_the_new_status_and_writes_nothing(submitted, sw, tm):
    before = Assessment.objects.values().get(pk=submitted.pk)
    status = decide_authorise(
        submitted,
        authorised_on=submitted.submitted_on,
        by_id=tm.pk,
        completed_by_id=completed_by(submitted),
    )
    assert status == S.AUTHORISED
    assert submitted.status == S.SUBMITTED
    assert Assessment.objects.values().get(pk=submitted.pk) == before


def test_the_decision_refuses_the_assessments_own_worker(submitted, sw):
    with pytest.raises(DomainError) as refused:
        decide_authorise(
            submitted, authorised_on=submitted.submitted_on, by_id=sw.pk, completed_by_id=sw.pk
        )
    assert refused.value.message == errors.ASSESSMENT_AUTHORISE_OWN_WORKER


def test_authorised_in_the_source_system_skips_only_the_second_pair_of_eyes(submitted, sw):
    # The census names no one: no one to compare, but the dates are still checked.
    assert (
        decide_authorise(
            submitted,
            authorised_on=submitted.submitted_on,
            by_id=sw.pk,
            completed_by_id=sw.pk,
            in_source_system=True,
        )
        == S.AUTHORISED
    )
    with pytest.raises(DomainError) as refused:
        decide_authorise(
            submitted,
            authorised_on=date(2025, 3, 1),
            by_id=None,
            completed_by_id=None,
            in_source_system=True,
        )
    assert refused.value.field == "authorised_on"


def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(submitted, tm):
    seen = submitted.version
    services.assessment_return(
        assessment=submitted, by=tm, returned_on=submitted.submitted_on, reason="Add the view"
    )
    with pytest.raises(ConflictError):
        services.assessment_authorise(
            assessment=submitted, by=tm, authorised_on=submitted.submitted_on,
            expected_version=seen,
        )  # fmt: skip
    fresh = Assessment.objects.get(pk=submitted.pk)
    assert fresh.status == S.RETURNED and fresh.authorised_on is None


def test_the_current_expected_version_goes_through(submitted, tm):
    authorised = services.assessment_authorise(
        assessment=submitted, by=tm, authorised_on=submitted.submitted_on,
        expected_version=submitted.version,
    )  # fmt: skip
    assert authorised.status == S.AUTHORISED
    assert authorised.version == submitted.version + 1

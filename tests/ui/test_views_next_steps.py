"""The child record offers the steps an assessment's state machine allows from its status,
to a role the permission table allows (issue 18 item 3): the template decides nothing."""

import re
from datetime import date

import pytest

from casework.models import Assessment
from tests.factories.flows import assessment_in
from tests.ui import builders

S = Assessment.Status


def _assessment_links(page: str, pk: int) -> set[str]:
    return set(re.findall(rf'href="/assessments/{pk}/([\w-]+)/"', page))


def _assessment(alice, mary, status):
    (referral,) = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))
    return assessment_in(status, referral=referral, worker_user=alice, manager=mary)


@pytest.mark.parametrize(
    ("status", "worker_links", "manager_links"),
    [
        (S.IN_PROGRESS, {"seen", "complete"}, {"seen", "complete"}),
        (S.RETURNED, {"seen", "complete"}, {"seen", "complete"}),
        (S.COMPLETED, {"seen", "submit"}, {"seen", "submit"}),
        (S.SUBMITTED, set(), {"decision"}),  # only a manager authorises or returns
        (S.AUTHORISED, set(), set()),
    ],
)
def test_the_child_record_offers_the_assessment_steps_its_status_allows(
    alice, mary, login, status, worker_links, manager_links
):
    assessment = _assessment(alice, mary, status)
    url = f"/children/{assessment.child_id}/"

    assert _assessment_links(login(alice).get(url).content.decode(), assessment.pk) == (
        worker_links
    )
    assert _assessment_links(login(mary).get(url).content.decode(), assessment.pk) == (
        manager_links
    )

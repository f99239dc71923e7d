from datetime import date

import pytest

from casework import errors, services
from casework.errors import DomainError
from casework.models import Visit, VisitKind
from casework.services import SiblingVisit
from tests.factories.casework import ChildFactory
from tests.factories.referrals import open_referral

VISITED_ON = date(2025, 5, 20)


@pytest.fixture
def siblings(sw):
    return [open_referral(by=sw, child=ChildFactory()) for _ in range(3)]


def test_one_household_visit_records_a_visit_per_child(siblings, sw):
    visits = services.visits_record_for_siblings(
        visits=[
            SiblingVisit(referral=siblings[0], child_seen=True, seen_alone=True),
            SiblingVisit(referral=siblings[1], child_seen=True),
            SiblingVisit(referral=siblings[2], child_seen=False),
        ],
        by=sw,
        kind=VisitKind.CIN,
        visited_on=VISITED_ON,
    )
    assert [(v.child_id, v.child_seen, v.seen_alone) for v in visits] == [
        (siblings[0].child_id, True, True),
        (siblings[1].child_id, True, False),
        (siblings[2].child_id, False, False),
    ]
    assert Visit.objects.filter(visited_on=VISITED_ON).count() == 3


def test_a_refusal_for_one_child_saves_no_visit_for_any(siblings, sw):
    with pytest.raises(DomainError) as refused:
        services.visits_record_for_siblings(
            visits=[
                SiblingVisit(referral=siblings[0], child_seen=True),
                SiblingVisit(referral=siblings[1], child_seen=True),
            ],
            by=sw,
            kind=VisitKind.CP,  # neither child is on a plan
            visited_on=VISITED_ON,
        )
    assert refused.value.message == errors.VISIT_CP_NEEDS_PLAN
    assert Visit.objects.count() == 0


def test_it_needs_at_least_one_child(sw):
    with pytest.raises(DomainError) as refused:
        services.visits_record_for_siblings(
            visits=[], by=sw, kind=VisitKind.CIN, visited_on=VISITED_ON
        )
    assert refused.value.message == errors.VISIT_NO_CHILDREN

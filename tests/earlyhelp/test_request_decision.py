"""The request for early help decided once (issue 18): the service reads the child's open
episode and last closure, the pure decision judges; the generator asks the same decision."""

from datetime import date

import pytest

from casework.errors import DomainError
from casework.models import Child
from earlyhelp import errors
from earlyhelp.codes import LeadAgency, RequestRoute
from earlyhelp.decisions import decide_request
from earlyhelp.models import EarlyHelpEpisode

DAY = date(2025, 6, 2)
AGENCY = LeadAgency.values[0]


def _ask(**seen):
    return decide_request(child=Child(pk=1, first_name="Ada", last_name="Bell"), requested_on=DAY,
                          route=RequestRoute.PARTNER, agency=AGENCY, today=DAY,
                          **{"open_since": None, "last_closed": None, **seen})  # fmt: skip


@pytest.mark.django_db
def test_the_request_decision_reads_nothing_and_starts_a_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert _ask() == EarlyHelpEpisode.Status.REQUESTED


def test_an_open_episode_or_an_overlap_is_refused():
    with pytest.raises(DomainError) as open_now:
        _ask(open_since=date(2025, 5, 1))
    assert str(open_now.value) == errors.EPISODE_OPEN.format(
        child="Ada Bell", requested_on=date(2025, 5, 1)
    )
    with pytest.raises(DomainError) as overlap:
        _ask(last_closed=DAY)
    assert str(overlap.value) == errors.EPISODE_OVERLAPS.format(closed_on=DAY)
    assert _ask(last_closed=date(2025, 6, 1)) == EarlyHelpEpisode.Status.REQUESTED

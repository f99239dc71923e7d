"""People for page tests: alice (social worker), mary (her manager), henry (head of
service) and olive, an outsider in another team who must not see alice's children."""

from datetime import date

import pytest
import time_machine

from accounts.models import Role
from casework import calendar
from tests.ui import builders

TODAY = date(2025, 6, 16)  # a Monday


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(date(2025, 6, 16), tick=False):
        yield


@pytest.fixture(autouse=True)
def _warm_calendar(db):
    # The working-day calendar is loaded once per process; load it before counting queries.
    calendar.invalidate()
    calendar.current()
    yield


@pytest.fixture
def team(db):
    builders.authority()
    return builders.team("Assessment 1")


@pytest.fixture
def alice(team):
    return builders.user_with_worker("alice", Role.SOCIAL_WORKER, team)


@pytest.fixture
def mary(team):
    return builders.user_with_worker("mary", Role.TEAM_MANAGER, team)


@pytest.fixture
def henry(team):
    return builders.user_with_worker("henry", Role.HEAD_OF_SERVICE, team)


@pytest.fixture
def olive(db):
    return builders.user_with_worker("olive", Role.SOCIAL_WORKER, builders.team("Safeguarding 9"))


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login

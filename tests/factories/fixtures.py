"""Shared fixtures for the domain tests: one team, people in every role, a pinned clock.

``sw`` is the allocated social worker, ``sw2`` a colleague, ``tm`` their team manager,
``tm2`` another manager, plus business support, an auditor and an administrator.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Role
from casework.models import WorkerRole
from tests.factories.accounts import UserFactory
from tests.factories.casework import ChildFactory, TeamFactory, WorkerFactory
from tests.factories.referrals import open_referral

TODAY = datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))  # a Monday


@pytest.fixture(autouse=True)
def clock():
    """'Today' is pinned: services refuse future dates and deadlines read the clock."""
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def sw(team):
    return WorkerFactory(team=team, user__username="sw").user


@pytest.fixture
def sw2(team):
    return WorkerFactory(team=team, user__username="sw2").user


@pytest.fixture
def tm(team):
    worker = WorkerFactory(
        team=team, role=WorkerRole.TEAM_MANAGER, user_role=Role.TEAM_MANAGER, user__username="tm"
    )
    team.manager = worker
    team.save()
    return worker.user


@pytest.fixture
def tm2(team):
    return UserFactory(username="tm2", role=Role.TEAM_MANAGER)


@pytest.fixture
def hos(db):
    return UserFactory(username="hos", role=Role.HEAD_OF_SERVICE)


@pytest.fixture
def bs(db):
    return UserFactory(username="bs", role=Role.BUSINESS_SUPPORT)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=Role.AUDITOR)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role=Role.ADMINISTRATOR)


@pytest.fixture
def child(db):
    return ChildFactory()


@pytest.fixture
def referral(sw, child):
    return open_referral(by=sw, child=child)

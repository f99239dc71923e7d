"""API fixtures: the domain fixtures (pinned clock, people in every role) plus clients.

``outsider`` is a social worker in another team: they may not know the team's children
exist, so every detail answers them 404.
"""

import pytest
from rest_framework.test import APIClient

from casework.models import Allocation, AllocationReason
from tests.factories.casework import WorkerFactory
from tests.factories.fixtures import *  # noqa: F403


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def outsider(db):
    return WorkerFactory(user__username="outsider").user


def allocate(referral, user) -> Allocation:
    """A current allocation (no transition involved, so a plain row)."""
    return Allocation.objects.create(
        child=referral.child,
        referral=referral,
        worker=user.worker,
        team=user.worker.team,
        started_on=referral.referred_on,
        reason=AllocationReason.NEW,
    )


@pytest.fixture
def allocated(referral, sw):
    allocate(referral, sw)
    return referral

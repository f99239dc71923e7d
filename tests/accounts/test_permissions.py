"""The single visibility rule: every role x record state, and its cost in queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.permissions import can_view_child, visible_children, visible_to
from casework.models import Allocation, Child
from referrals.models import Referral
from tests.accounts.builders import allocate, make_child, make_team, make_user
from tests.accounts.conftest import EXPECTED, STATES

pytestmark = pytest.mark.django_db


def test_can_view_child_and_visible_children_agree_with_the_expected_answer(world):
    expected = EXPECTED[world.viewer.role]
    visible = set(visible_children(world.viewer).values_list("pk", flat=True))
    for state in STATES:
        child = world.children[state]
        assert can_view_child(world.viewer, child) is expected[state], state
        assert (child.pk in visible) is expected[state], state
    assert visible == {world.children[s].pk for s in STATES if expected[s]}


def test_case_detail_is_hidden_from_business_support_only(world):
    detail = set(visible_children(world.viewer, case_detail=True).values_list("pk", flat=True))
    if world.viewer.role == Role.BUSINESS_SUPPORT:
        assert detail == set()
    else:
        assert detail == set(visible_children(world.viewer).values_list("pk", flat=True))


def test_rows_about_children_follow_the_same_rule(world):
    referrals = visible_to(world.viewer, Referral.objects.all())
    expected = {world.children[s].pk for s in STATES if EXPECTED[world.viewer.role][s]}
    assert set(referrals.values_list("child_id", flat=True)) == expected


def test_anonymous_and_disabled_users_see_nothing(db):
    team = make_team()
    user = make_user(Role.HEAD_OF_SERVICE, team=team)
    make_child()
    assert not visible_children(AnonymousUser()).exists()
    user.is_active = False
    assert not visible_children(user).exists()


def test_a_team_manager_sees_unallocated_open_episodes_to_allocate_them(db):
    team = make_team()
    manager = make_user(Role.TEAM_MANAGER, team=team)
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    child = make_child()
    Referral.objects.create(child=child, referred_on="2026-01-05", source="2A")
    assert can_view_child(manager, child)
    assert not can_view_child(worker, child)


def test_an_ended_allocation_no_longer_gives_sight_of_the_child(db):
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    child = make_child()
    allocation = allocate(child, worker)
    assert can_view_child(worker, child)
    Allocation.objects.filter(pk=allocation.pk).update(ended_on="2026-02-01")
    assert not can_view_child(worker, child)


@pytest.mark.parametrize("size", [3, 30])
def test_filtering_children_is_one_query_whatever_the_size(db, size):
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    for _ in range(size):
        allocate(make_child(), worker)
    worker = type(worker).objects.get(pk=worker.pk)  # nothing cached on the user
    with CaptureQueriesContext(connection) as queries:
        rows = list(visible_children(worker, Child.objects.order_by("pk")))
    # 1: the children, the rule inlined as EXISTS subqueries.
    assert len(queries) == 1
    assert len(rows) == size

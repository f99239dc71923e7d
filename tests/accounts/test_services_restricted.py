"""Restricting a record and lifting the restriction."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import errors
from accounts.models import AuditEvent, RestrictedAccess, RestrictionReason, Role
from accounts.permissions import can_view_child
from accounts.services import child_restrict, child_unrestrict
from tests.accounts.builders import allocate, make_child, make_team, make_user

pytestmark = pytest.mark.django_db

NEXT_QUARTER = timezone.localdate() + timedelta(days=90)


@pytest.fixture
def case(db):
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    manager = make_user(Role.TEAM_MANAGER, team=team)
    child = make_child()
    allocate(child, worker)
    return worker, manager, child


def test_restricting_hides_the_child_from_all_but_the_access_list(case):
    worker, manager, child = case
    hos = make_user(Role.HEAD_OF_SERVICE)
    access = child_restrict(
        child=child,
        by=manager,
        reason=RestrictionReason.STAFF_RELATIVE,
        review_on=NEXT_QUARTER,
        users=[],
        reason_detail="Sister of a team member",
    )
    child.refresh_from_db()
    assert child.is_restricted
    assert set(access.users.all()) == {manager}  # the person restricting keeps sight
    assert can_view_child(manager, child)
    assert not can_view_child(worker, child)
    assert not can_view_child(hos, child)
    change = AuditEvent.objects.get(child=child)
    assert (change.user, change.action) == (manager, AuditEvent.Action.CHANGE)


def test_a_social_worker_cannot_restrict_a_record(case):
    worker, _, child = case
    with pytest.raises(errors.AccessError, match=errors.RESTRICT_NOT_ALLOWED):
        child_restrict(
            child=child, by=worker, reason="other", review_on=NEXT_QUARTER, users=[worker]
        )
    child.refresh_from_db()
    assert not child.is_restricted
    assert not RestrictedAccess.objects.exists()


def test_a_manager_cannot_restrict_another_teams_child(case):
    other_manager = make_user(Role.TEAM_MANAGER, team=make_team())
    _, _, child = case
    with pytest.raises(errors.AccessError, match=errors.RESTRICT_CANNOT_SEE):
        child_restrict(
            child=child, by=other_manager, reason="other", review_on=NEXT_QUARTER, users=[]
        )


def test_a_review_date_in_the_past_is_refused(case):
    _, manager, child = case
    with pytest.raises(errors.AccessError, match=errors.RESTRICT_NEEDS_REVIEW_DATE):
        child_restrict(
            child=child,
            by=manager,
            reason="adoption",
            review_on=timezone.localdate(),
            users=[],
        )


def test_lifting_a_restriction_restores_the_ordinary_rule(case):
    worker, manager, child = case
    child_restrict(child=child, by=manager, reason="adoption", review_on=NEXT_QUARTER, users=[])
    with pytest.raises(errors.AccessError, match=errors.UNRESTRICT_NOT_ALLOWED):
        child_unrestrict(child=child, by=worker, reason="Adoption order made")
    with pytest.raises(errors.AccessError, match=errors.UNRESTRICT_NEEDS_REASON):
        child_unrestrict(child=child, by=manager, reason="  ")
    child_unrestrict(child=child, by=manager, reason="Adoption order made")
    child.refresh_from_db()
    assert not child.is_restricted
    assert can_view_child(worker, child)
    # Kept as history: who lifted it, when and why; the access list is still there.
    lifted = RestrictedAccess.objects.get(child=child)
    assert (lifted.lifted_by, lifted.lifted_reason) == (manager, "Adoption order made")
    assert lifted.lifted_at is not None
    assert list(lifted.users.all()) == [manager]
    change = AuditEvent.objects.filter(child=child, path__endswith="child_unrestrict").get()
    assert (change.user, change.object_repr) == (manager, "Restriction lifted: Adoption order made")
    with pytest.raises(errors.AccessError, match=errors.UNRESTRICT_NOT_RESTRICTED):
        child_unrestrict(child=child, by=manager, reason="Again")


def test_restricting_again_keeps_the_previous_restriction_as_history(case):
    worker, manager, child = case
    first = child_restrict(
        child=child, by=manager, reason="adoption", review_on=NEXT_QUARTER, users=[worker]
    )
    second = child_restrict(
        child=child, by=manager, reason="high_profile", review_on=NEXT_QUARTER, users=[]
    )
    first.refresh_from_db()
    assert first.lifted_by == manager and first.lifted_at is not None
    assert second.lifted_at is None
    # Only the current list counts: the worker was on the old one.
    assert not can_view_child(worker, child)
    with pytest.raises(PermissionError):
        first.delete()
    assert RestrictedAccess.objects.filter(child=child).count() == 2


def test_restricting_and_lifting_save_through_the_record_service_with_who_and_why(case):
    """One version bump each, and the child's history names who and why (common.save)."""
    _, manager, child = case
    version = child.version
    child_restrict(child=child, by=manager, reason=RestrictionReason.STAFF_RELATIVE,
                   review_on=NEXT_QUARTER, users=[])  # fmt: skip
    child_unrestrict(child=child, by=manager, reason="Staff member left")
    child.refresh_from_db()
    assert child.version == version + 2
    latest = child.history.order_by("-history_id")[:2]
    assert [(h.history_user, h.history_change_reason) for h in latest] == [
        (manager, "Restriction lifted"),
        (manager, "Record restricted"),
    ]

"""The permission table every service checks."""

import pytest

from accounts.models import Role
from casework.services.permissions import PERMISSIONS, can
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_an_auditor_can_do_nothing():
    auditor = UserFactory(role=Role.AUDITOR)
    assert [op for op in PERMISSIONS if can(auditor, op)] == []


def test_business_support_records_contacts_and_childrens_details_only():
    bs = UserFactory(role=Role.BUSINESS_SUPPORT)
    assert {op for op in PERMISSIONS if can(bs, op)} == {
        "child_create",
        "child_update",
        "contact_record",
    }


@pytest.mark.parametrize(
    "operation",
    [
        "assessment_authorise",
        "assessment_return",
        "s47_complete",
        "case_allocate",
        "referral_close",
        "record_mark_entered_in_error",
    ],
)
def test_manager_only_operations(operation):
    assert not can(UserFactory(role=Role.SOCIAL_WORKER), operation)
    for role in (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR):
        assert can(UserFactory(role=role), operation)


def test_a_deactivated_user_can_do_nothing():
    manager = UserFactory(role=Role.TEAM_MANAGER, is_active=False)
    assert not any(can(manager, op) for op in PERMISSIONS)

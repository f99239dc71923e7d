"""The visibility rule's index-friendly paths (issue 25) give the same answer as the rule.

Each role's world (tests/accounts/conftest.py) holds a restricted child allocated to the
viewer whose access list does not name them: it must stay invisible through My work's
once-per-request caseload, the rule as a condition on rows' child column, the queues and
the front door, while the restricted child whose list names the viewer stays visible.
"""

from datetime import date

import pytest

from accounts.models import RestrictedAccess, Role
from accounts.permissions import child_visible_q, visible_to
from casework import services
from casework.models import Assessment, AssessmentOutcome, Section47Enquiry
from casework.selectors.queues import assessments_awaiting_authorisation
from casework.selectors.worktray import allocated_children
from referrals.models import Referral
from referrals.selectors import contact_children
from tests.accounts.conftest import EXPECTED, STATES, build_world

pytestmark = pytest.mark.django_db
SUBMITTED = date(2026, 1, 22)

# Business support record contacts and see identity only: case rows and queues are not
# theirs, so those tests run for the other roles (what business support see is below).
CASE_ROLES = [role for role in EXPECTED if role != Role.BUSINESS_SUPPORT]
for_case_roles = pytest.mark.parametrize("world", CASE_ROLES, indirect=True, ids=str)


def _expected(world) -> set[int]:
    return {world.children[s].pk for s in STATES if EXPECTED[world.viewer.role][s]}


@for_case_roles
def test_the_rule_on_rows_child_column_agrees_with_the_expected_answer(world):
    rows = Referral.objects.filter(child_visible_q(world.viewer))
    assert set(rows.values_list("child_id", flat=True)) == _expected(world)
    nested = visible_to(world.viewer, Section47Enquiry.objects.all())
    assert set(nested.values_list("child_id", flat=True)) == _expected(world)


def test_a_contacts_children_are_marked_visible_by_the_same_rule(world):
    marked = {cc.child_id: cc.child_visible for cc in contact_children(world.viewer)}
    assert {pk for pk, visible in marked.items() if visible} == _expected(world)


def test_my_work_caseload_leaves_out_a_restricted_child_not_on_the_access_list(world):
    viewer = world.viewer  # every world's viewer has a worker record (build_world)
    ids = set(allocated_children(viewer.worker, viewer))
    restricted = world.children["restricted_without_access"]
    assert restricted.pk not in ids
    assert world.children["own"].pk in ids
    assert world.children["entered_in_error"].pk not in ids or viewer.role == Role.ADMINISTRATOR

    # Named on the access list, the same child is on the caseload.
    RestrictedAccess.objects.get(child=restricted, lifted_at__isnull=True).users.add(viewer)
    assert restricted.pk in set(allocated_children(viewer.worker, viewer))


@for_case_roles
def test_the_authorisation_queue_never_lists_a_restricted_child_not_on_the_access_list(world):
    # Every assessment awaiting a decision, sent for one by the services.
    for assessment in Assessment.objects.all():
        assessment = services.assessment_complete(
            assessment=assessment, by=world.recorder, completed_on=SUBMITTED,
            outcome=AssessmentOutcome.CIN_PLAN, factors=["3A"],
        )  # fmt: skip
        services.assessment_submit(assessment=assessment, by=world.recorder, submitted_on=SUBMITTED)
    listed = {a.child_id for a in assessments_awaiting_authorisation(user=world.viewer, team=None)}
    assert world.children["restricted_without_access"].pk not in listed
    assert listed == _expected(world)


def test_business_support_see_no_case_rows_and_have_no_queue(client):
    world = build_world(Role.BUSINESS_SUPPORT)
    assert Referral.objects.exists()
    assert not visible_to(world.viewer, Referral.objects.all(), case_detail=True).exists()
    assert not visible_to(world.viewer, Section47Enquiry.objects.all(), case_detail=True).exists()
    client.force_login(world.viewer)
    assert client.get("/queues/authorisation/").status_code == 403

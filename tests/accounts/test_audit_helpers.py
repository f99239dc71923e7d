"""The decorator and DRF mixin other branches use: same rule, one audit row per request."""

import pytest

from accounts.models import AuditEvent, Role
from referrals.models import Referral
from tests.accounts.builders import allocate, make_child, make_team, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls_for_tests")]


@pytest.fixture
def case(client):
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    mine, theirs = make_child(), make_child()
    allocate(mine, worker)
    allocate(theirs, make_user(Role.SOCIAL_WORKER, team=make_team()))
    client.force_login(worker)
    return worker, mine, theirs


@pytest.mark.parametrize(
    "url", ["/api/children/{pk}/", "/api/children-by-kwarg/{pk}/", "/summary/{pk}/"]
)
def test_a_visible_child_is_shown_and_audited_once_an_invisible_one_is_404(client, case, url):
    worker, mine, theirs = case
    assert client.get(url.format(pk=mine.pk)).status_code == 200
    assert AuditEvent.objects.filter(child=mine, user=worker).count() == 1
    assert client.get(url.format(pk=theirs.pk)).status_code == 404
    assert not AuditEvent.objects.filter(child=theirs).exists()


def test_rows_about_a_child_are_narrowed_and_audited_against_their_child(client, case):
    worker, mine, theirs = case
    own = Referral.objects.get(child=mine)
    other = Referral.objects.get(child=theirs)
    assert client.get(f"/api/referrals/{own.pk}/").status_code == 200
    assert client.get(f"/api/referrals/{other.pk}/").status_code == 404
    assert list(AuditEvent.objects.values_list("child_id", flat=True)) == [mine.pk]

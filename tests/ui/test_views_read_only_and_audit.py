"""Issue 16 findings 5 and 12 on the pages: search results audit every child shown, and a
read-only role (the auditor) is shown no form it could not submit."""

from datetime import date

import pytest

from accounts.models import AuditEvent, Role
from tests.ui import builders


@pytest.fixture
def audrey(team):
    return builders.user_with_worker("audrey", Role.AUDITOR, team)


def test_search_results_write_one_audit_row_per_child_shown(alice, login):
    referrals = builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))

    response = login(alice).get("/children/?q=Child")

    assert response.status_code == 200
    shown = {r.child_id for r in referrals}
    rows = AuditEvent.objects.filter(user=alice, child__isnull=False)
    assert set(rows.values_list("child_id", flat=True)) == shown
    assert rows.count() == len(shown)


def test_the_auditor_is_not_shown_the_allocation_form(audrey, mary, login):
    waiting = builders.episodes(builders.children(1), referred_on=date(2025, 6, 2))[0]
    client = login(audrey)

    assert client.get(f"/referrals/{waiting.pk}/allocate/").status_code == 403
    unallocated = client.get("/unallocated/").content.decode()
    assert f"/referrals/{waiting.pk}/allocate/" not in unallocated


def test_the_auditor_is_not_shown_recording_forms(audrey, alice, login):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    assessment = builders.assessments([referral])[0]
    contact = builders.contacts([builders.children(1)], received_on=date(2025, 6, 13))[0]
    client = login(audrey)

    for url in (
        f"/referrals/{referral.pk}/visit/",
        f"/referrals/{referral.pk}/close/",
        f"/referrals/{referral.pk}/assessment/start/",
        f"/referrals/{referral.pk}/strategy-discussion/",
        f"/referrals/{referral.pk}/cin-plan/start/",
        "/contacts/new/",
        f"/contacts/{contact.pk}/screen/",
        f"/assessments/{assessment.pk}/complete/",
    ):
        assert client.get(url).status_code == 403, url


def _audited(user) -> list[int]:
    return sorted(
        AuditEvent.objects.filter(user=user, child__isnull=False).values_list("child_id", flat=True)
    )


def test_my_work_writes_one_audit_row_per_child_it_lists(alice, login):
    referrals = builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))

    assert login(alice).get("/my-work/").status_code == 200

    assert _audited(alice) == sorted(r.child_id for r in referrals)


def test_the_unallocated_queue_audits_each_child_it_lists(mary, login):
    waiting = builders.episodes(builders.children(2), referred_on=date(2025, 6, 2))

    assert login(mary).get("/unallocated/").status_code == 200

    assert _audited(mary) == sorted(r.child_id for r in waiting)


def test_the_front_door_audits_each_child_it_names(mary, login):
    contacts = builders.contacts([builders.children(2)], received_on=date(2025, 6, 13))
    named = sorted(cc.child_id for cc in contacts[0].children.all())

    assert login(mary).get("/front-door/").status_code == 200

    assert _audited(mary) == named

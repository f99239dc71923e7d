from datetime import date

from casework.models import Visit
from tests.ui import builders


def _history(worker, n):
    """One child with an episode, s47, plan, and ``n`` visits: a long chronology."""
    referrals = builders.caseload(worker, 1, referred_on=date(2024, 1, 8))
    builders.assessments(referrals)
    builders.s47s(referrals, held_on=date(2024, 2, 1))
    plans = builders.cp_plans(referrals, icpc_on=date(2024, 2, 20))
    r = referrals[0]
    Visit.objects.bulk_create(
        [
            Visit(
                child_id=r.child_id,
                referral=r,
                kind="cp",
                cp_plan=plans[0],
                visited_on=date(2024, 3, 1),
                child_seen=True,
                seen_alone=i % 2 == 0,
            )
            for i in range(n)
        ]
    )
    return r.child


def test_child_record_shows_identity_alerts_episode_worker_and_chronology(alice, login):
    child = _history(alice.worker, 2)
    body = login(alice).get(f"/children/{child.pk}/").content.decode()
    assert child.full_name in body
    assert "This child is on a child protection plan." in body
    assert "Child protection plan" in body
    assert str(alice.worker) in body
    assert body.index("Child protection plan started") < body.index("Referral</td>")
    assert "Child seen alone" in body


def test_child_record_chronology_filters_by_type(alice, login):
    child = _history(alice.worker, 3)
    body = login(alice).get(f"/children/{child.pk}/?type=visit").content.decode()
    assert "3 events" in body
    assert "Strategy discussion</td>" not in body


def test_restricted_child_shows_the_restricted_alert_to_someone_on_its_access_list(alice, login):
    child = _history(alice.worker, 0)
    builders.restrict(child, set_by=alice, users=[alice])
    body = login(alice).get(f"/children/{child.pk}/").content.decode()
    assert "restricted record" in body


def test_an_outsider_gets_404_for_a_child_in_another_team(alice, olive, login):
    child = _history(alice.worker, 1)
    assert login(olive).get(f"/children/{child.pk}/").status_code == 404


def test_a_missing_child_is_404_and_bad_filters_are_ignored(alice, login):
    client = login(alice)
    assert client.get("/children/999999/").status_code == 404
    child = _history(alice.worker, 1)
    response = client.get(f"/children/{child.pk}/?type=nonsense&type=&page=-4")
    assert response.status_code == 200


def test_child_record_query_count_is_the_same_for_10_and_1000_events(alice, login):
    client = login(alice)
    small = builders.page_reads(client, f"/children/{_history(alice.worker, 10).pk}/")
    large = builders.page_reads(client, f"/children/{_history(alice.worker, 1000).pk}/")
    # session, user, the access middleware's visibility check, worker, child with flags,
    # open episode, allocation, open assessments, s47s, initial conferences and active
    # plans (for the action links), then one per event table: contacts, referrals,
    # allocations, assessments, strategy discussions, s47s, conferences, CP plans, CIN
    # plans, core groups, visits, case notes; the early help panel's episodes and the
    # RC9 closure it may step down from; the latest case supervisions (workforce panel);
    # the care section's period of care (none here)
    assert small == large == 27

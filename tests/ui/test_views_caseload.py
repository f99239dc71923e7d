from datetime import date
from decimal import Decimal

from accounts.models import Role
from tests.ui import builders


def test_board_shows_children_per_worker_fte_and_weighted_caseload(alice, mary, login):
    alice.worker.fte = Decimal("0.50")
    alice.worker.save()
    referrals = builders.caseload(alice.worker, 4, referred_on=date(2025, 4, 1))
    builders.cp_plans(referrals[:2], icpc_on=date(2025, 5, 1))  # 2 x 1.50
    builders.assessments(referrals[2:3])  # 0.75
    # and one with nothing open yet: 1.00
    body = login(mary).get("/caseloads/").content.decode()
    assert ">4<" in body.replace(" ", "").replace("\n", "")
    assert "8.0" in body  # 4 children / 0.5 FTE
    assert "4.75" in body  # 1.5 + 1.5 + 0.75 + 1
    assert "Within threshold" in body


def test_board_highlights_workers_over_threshold_and_protected_limit(team, mary, login):
    nqsw = builders.user_with_worker(
        "newbie", Role.SOCIAL_WORKER, team, newly_qualified=True, protected_caseload_limit=2
    )
    builders.caseload(nqsw.worker, 3, referred_on=date(2025, 4, 1))
    authority = builders.authority()
    authority.caseload_threshold = 2
    authority.save()
    body = login(mary).get("/caseloads/").content.decode()
    assert "Over protected limit" in body


def test_social_workers_may_not_see_the_board(alice, login):
    assert login(alice).get("/caseloads/").status_code == 403


def test_head_of_service_picks_a_team_and_unknown_teams_are_404(henry, team, login):
    client = login(henry)
    assert client.get(f"/caseloads/?team={team.pk}").status_code == 200
    assert client.get("/caseloads/?team=987654").status_code == 404
    assert client.get("/caseloads/?team=abc").status_code == 200


def test_board_query_count_is_the_same_for_10_and_1000_children(alice, mary, team, login):
    client = login(mary)
    bob = builders.user_with_worker("bob", Role.SOCIAL_WORKER, team)
    referrals = builders.caseload(alice.worker, 10, referred_on=date(2025, 4, 1))
    builders.cp_plans(referrals[:5], icpc_on=date(2025, 5, 1))
    small = builders.page_reads(client, "/caseloads/")
    referrals = builders.caseload(bob.worker, 990, referred_on=date(2025, 4, 1))
    builders.cp_plans(referrals[:300], icpc_on=date(2025, 5, 1))
    large = builders.page_reads(client, "/caseloads/")
    # session, user, worker, managed team's id, that team, authority, workers,
    # open allocations with their CP/s47/CIN/assessment flags
    assert small == large == 8

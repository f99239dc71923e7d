"""The allocate / reallocate page: candidates with their caseloads, the protected-caseload
refusal beside the worker, bad input, double submission and stale pages."""

import re
from datetime import date

import pytest

from accounts.models import Role
from casework import errors
from casework.models import Allocation, AllocationReason
from tests.ui import builders


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


@pytest.fixture
def waiting(mary):
    return builders.episodes(
        builders.children(1, last_name="Waiting"), referred_on=date(2025, 6, 2)
    )[0]


@pytest.fixture
def newbie(team):
    return builders.user_with_worker(
        "newbie", Role.SOCIAL_WORKER, team, newly_qualified=True, protected_caseload_limit=2
    ).worker


def _data(worker, /, **changes):
    data = {
        "form_token": "t1",
        "current_allocation": "",
        "version": "",
        "worker": str(worker.pk),
        **_date("started_on", date(2025, 6, 16)),
        "reason": AllocationReason.NEW,
    }
    return {**data, **changes}


def test_the_page_lists_each_candidate_with_their_caseload(alice, mary, newbie, waiting, login):
    builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    builders.caseload(newbie, 2, referred_on=date(2025, 4, 1))
    body = login(mary).get(f"/referrals/{waiting.pk}/allocate/").content.decode()
    assert "Allocate the case" in body
    assert "3 children, 1.00 FTE, 3.0 per FTE, weighted 3.00" in body
    assert (
        "newly qualified, protected limit 2, at protected limit: cannot take another child" in body
    )
    assert "Children per FTE" in body
    assert "At protected limit</strong> newly qualified: 2 of 2, cannot take another child" in body


def _candidate_rows(body: str) -> list[str]:
    table = body[body.index("<table") : body.index("</table>")]
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table, re.S)


def test_the_candidates_sort_by_children_per_fte_and_say_why(
    alice, mary, newbie, team, waiting, login
):
    part_time = builders.user_with_worker("pat", Role.SOCIAL_WORKER, team, fte="0.60").worker
    builders.caseload(part_time, 16, referred_on=date(2025, 4, 1))  # 26.7 per FTE
    builders.caseload(alice.worker, 5, referred_on=date(2025, 4, 1))  # 5.0 per FTE
    builders.caseload(newbie, 1, referred_on=date(2025, 4, 1))  # 1.0, protected limit 2
    client = login(mary)
    url = f"/referrals/{waiting.pk}/allocate/"
    most_first = _candidate_rows(client.get(f"{url}?sort=-per_fte").content.decode())
    least_first = _candidate_rows(client.get(f"{url}?sort=per_fte").content.decode())
    assert [part_time.full_name in r for r in most_first] == [True, False, False]
    assert [newbie.full_name in r for r in least_first] == [True, False, False]
    assert [alice.worker.full_name in r for r in least_first] == [False, True, False]
    body = client.get(url).content.decode()
    assert "Over threshold</strong> 16 children, threshold 15 at this FTE" in body
    assert "Protected</strong> newly qualified: room for 1 more" in body
    assert "Within threshold</strong> 5 of 25 at this FTE" in body
    assert "govuk-table--small-text-until-tablet" in body


def test_over_threshold_workers_are_highlighted(alice, mary, waiting, login):
    builders.caseload(alice.worker, 26, referred_on=date(2025, 4, 1))
    body = login(mary).get(f"/referrals/{waiting.pk}/allocate/").content.decode()
    assert "over the threshold of 25 per FTE" in body
    assert "Over threshold" in body


def test_thresholds_are_per_fte_and_candidates_with_most_room_come_first(
    alice, mary, team, waiting, login
):
    part_time = builders.user_with_worker("pat", Role.SOCIAL_WORKER, team, fte="0.60").worker
    builders.caseload(part_time, 16, referred_on=date(2025, 4, 1))  # 26.7 per FTE
    builders.caseload(alice.worker, 20, referred_on=date(2025, 4, 1))  # 20.0 per FTE
    body = login(mary).get(f"/referrals/{waiting.pk}/allocate/").content.decode()
    assert "16 children, 0.60 FTE, 26.7 per FTE, weighted 16.00, over the threshold" in body
    assert "20.0 per FTE, weighted 20.00, over" not in body
    assert body.index(alice.worker.full_name) < body.index(part_time.full_name)


def test_a_manager_allocates_from_the_unallocated_queue(alice, mary, waiting, login):
    client = login(mary)
    queue = client.get("/unallocated/").content.decode()
    assert f'href="/referrals/{waiting.pk}/allocate/"' in queue
    response = client.post(f"/referrals/{waiting.pk}/allocate/", _data(alice.worker))
    assert response.status_code == 302
    assert response.url == f"/children/{waiting.child_id}/"
    allocation = Allocation.objects.get(referral=waiting)
    assert allocation.worker == alice.worker
    assert allocation.started_on == date(2025, 6, 16)
    assert "Case allocated" in client.get(response.url).content.decode()


def test_a_manager_reallocates_from_the_child_record(alice, mary, team, login):
    other = builders.user_with_worker("bob", Role.SOCIAL_WORKER, team).worker
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    client = login(mary)
    record = client.get(f"/children/{referral.child_id}/").content.decode()
    assert f'href="/referrals/{referral.pk}/allocate/"' in record and "Reallocate" in record
    url = f"/referrals/{referral.pk}/allocate/"
    form = client.get(url).context["form"]
    assert form.initial["current_allocation"] == Allocation.objects.get().pk
    data = _data(
        other,
        current_allocation=form.initial["current_allocation"],
        version=form.initial["version"],
        reason=AllocationReason.WORKLOAD,
    )
    assert client.post(url, data).status_code == 302
    current = Allocation.objects.get(referral=referral, ended_on=None)
    assert current.worker == other
    assert Allocation.objects.get(referral=referral, worker=alice.worker).ended_on == date(
        2025, 6, 16
    )


def test_a_social_worker_gets_no_allocation_page_or_link(alice, login):
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    client = login(alice)
    assert client.get(f"/referrals/{referral.pk}/allocate/").status_code == 403
    assert "/allocate/" not in client.get(f"/children/{referral.child_id}/").content.decode()


def test_an_outsiders_episode_is_not_found(mary, olive, login):
    referral = builders.caseload(olive.worker, 1, referred_on=date(2025, 6, 2))[0]
    assert login(mary).get(f"/referrals/{referral.pk}/allocate/").status_code == 404


def test_a_newly_qualified_worker_at_their_limit_is_refused_beside_the_worker(
    mary, newbie, waiting, login
):
    builders.caseload(newbie, 2, referred_on=date(2025, 4, 1))
    response = login(mary).post(f"/referrals/{waiting.pk}/allocate/", _data(newbie))
    assert response.status_code == 200
    message = errors.ALLOCATION_OVER_PROTECTED_LIMIT.format(worker=newbie, children=2, limit=2)
    assert builders.error_beside(response.content.decode(), "worker", message)
    assert not Allocation.objects.filter(referral=waiting).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"worker": ""}, "worker", "Select worker"),
        ({"worker": "abc"}, "worker", "Select worker from the list"),
        ({"worker": "9" * 40}, "worker", "Select worker from the list"),
        ({"reason": ""}, "reason", "Select reason for allocation"),
        ({"reason": "x" * 5000}, "reason", "Select reason for allocation from the list"),
        (
            {"started_on_0": "", "started_on_1": "", "started_on_2": ""},
            "started_on",
            "Enter allocation start date",
        ),
        ({"started_on_0": "31", "started_on_1": "2"}, "started_on", "must be a real date"),
        ({"started_on_0": "x" * 5000}, "started_on", "must be a real date"),
        ({"started_on_2": "2026"}, "started_on", errors.DATE_IN_FUTURE),
        (
            _date("started_on", date(2025, 5, 30)),
            "started_on",
            "The date cannot be before the referral date (02/06/2025)",
        ),
    ],
)
def test_bad_allocation_input_shows_a_message_and_saves_nothing(
    alice, mary, waiting, login, changes, field, message
):
    response = login(mary).post(
        f"/referrals/{waiting.pk}/allocate/", _data(alice.worker, **changes)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert re.search(rf'id="id_{field}[_0-9]*_error"', body), field
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 30])
def test_bad_hidden_fields_never_fail(alice, mary, waiting, login, value):
    data = _data(alice.worker, current_allocation=value, version=value)
    response = login(mary).post(f"/referrals/{waiting.pk}/allocate/", data)
    assert response.status_code == 200
    assert not Allocation.objects.exists()


def test_allocating_twice_with_the_same_form_creates_one_allocation(alice, mary, waiting, login):
    client = login(mary)
    url = f"/referrals/{waiting.pk}/allocate/"
    token = client.get(url).context["form"].initial["form_token"]
    first = client.post(url, _data(alice.worker, form_token=token))
    second = client.post(url, _data(alice.worker, form_token=token))
    assert first.status_code == second.status_code == 302
    assert Allocation.objects.filter(referral=waiting).count() == 1


def test_allocating_a_case_someone_else_allocated_meanwhile_is_a_conflict(
    alice, mary, team, waiting, login
):
    bob = builders.user_with_worker("bob", Role.SOCIAL_WORKER, team).worker
    builders.allocate([waiting], bob, on=date(2025, 6, 16))  # another manager, same moment
    response = login(mary).post(f"/referrals/{waiting.pk}/allocate/", _data(alice.worker))
    assert errors.CONFLICT in response.content.decode()
    assert Allocation.objects.get(referral=waiting).worker == bob


def test_reallocating_from_a_stale_page_is_a_conflict(alice, mary, team, login):
    bob = builders.user_with_worker("bob", Role.SOCIAL_WORKER, team).worker
    referral = builders.caseload(alice.worker, 1, referred_on=date(2025, 6, 2))[0]
    allocation = Allocation.objects.get()
    Allocation.objects.filter(pk=allocation.pk).update(version=2)  # someone else changed it
    data = _data(bob, current_allocation=allocation.pk, version=1)
    response = login(mary).post(f"/referrals/{referral.pk}/allocate/", data)
    assert errors.CONFLICT in response.content.decode()
    assert Allocation.objects.get().worker == alice.worker


def test_the_candidates_page_costs_the_same_for_10_and_1000_children(
    alice, mary, newbie, waiting, login
):
    client = login(mary)
    url = f"/referrals/{waiting.pk}/allocate/"
    builders.caseload(alice.worker, 10, referred_on=date(2025, 4, 1))
    small = builders.page_reads(client, url)
    referrals = builders.caseload(alice.worker, 990, referred_on=date(2025, 4, 1))
    builders.cp_plans(referrals[:300], icpc_on=date(2025, 6, 10))
    large = builders.page_reads(client, url)
    assert small == large


def _on_leave(worker, by, *, started_on, ended_on):
    from workforce.codes import AbsenceKind
    from workforce.services.establishment import absence_record

    return absence_record(worker=worker, kind=AbsenceKind.OTHER_PAID, started_on=started_on,
                          ended_on=ended_on, by=by)  # fmt: skip


def test_team_caseloads_say_who_is_on_leave_today_and_put_them_last(alice, mary, team):
    from casework.selectors.caseload import team_caseloads

    bob = builders.user_with_worker("bob", Role.SOCIAL_WORKER, team).worker
    builders.caseload(bob, 4, referred_on=date(2025, 4, 1))
    _on_leave(alice.worker, mary, started_on=date(2025, 6, 9), ended_on=date(2025, 6, 27))
    _on_leave(bob, mary, started_on=date(2025, 6, 2), ended_on=date(2025, 6, 13))  # back now

    loads = {load.worker: load for load in team_caseloads(team=team, on=date(2025, 6, 16))}
    ordered = sorted(loads.values(), key=lambda load: load.capacity_order)

    assert loads[alice.worker].away_until == date(2025, 6, 27)
    assert loads[bob].away_until is None
    # Alice has the most room (no children) but is away: Bob is offered first.
    assert [load.worker for load in ordered] == [bob, alice.worker]
    # Without a day nobody is marked away (the caseload board counts children only).
    assert all(load.away_until is None for load in team_caseloads(team=team))


def test_the_allocation_page_says_on_leave_until_and_lists_them_last(
    alice, mary, team, waiting, login
):
    bob = builders.user_with_worker("bob", Role.SOCIAL_WORKER, team).worker
    builders.caseload(bob, 6, referred_on=date(2025, 4, 1))
    _on_leave(alice.worker, mary, started_on=date(2025, 6, 16), ended_on=date(2025, 7, 4))

    body = login(mary).get(f"/referrals/{waiting.pk}/allocate/").content.decode()

    rows = _candidate_rows(body)
    assert [alice.worker.full_name in r for r in rows] == [False, True]
    assert "On leave</strong> on leave until 4 Jul 2025" in body
    assert "0 children, 1.00 FTE, 0.0 per FTE, weighted 0, on leave until 4 Jul 2025" in body
    assert "Within threshold</strong> 6 of 25 at this FTE" in body

from datetime import date

import pytest

from casework.models import Child
from tests.ui import builders


@pytest.fixture
def kids(alice):
    referrals = builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    kids = [Child.objects.get(pk=r.child_id) for r in referrals]
    kids[0].first_name, kids[0].last_name = "Joanne", "Smith"
    kids[0].date_of_birth = date(2014, 2, 28)
    kids[0].save()
    return kids


def test_finds_a_child_by_name_words(alice, kids, login):
    body = login(alice).get("/children/?q=jo+smi").content.decode()
    assert "Joanne Smith" in body
    assert "1 result" in body


def test_finds_a_child_by_la_child_id(alice, kids, login):
    body = login(alice).get(f"/children/?q={kids[1].la_child_id.lower()}").content.decode()
    assert kids[1].full_name in body


def test_finds_a_child_by_date_of_birth(alice, kids, login):
    body = login(alice).get("/children/?q=28/02/2014").content.decode()
    assert "Joanne Smith" in body


def test_search_never_shows_children_the_user_may_not_see(olive, kids, login):
    body = login(olive).get("/children/?q=smith").content.decode()
    assert "Joanne" not in body
    assert "0 results" in body


@pytest.mark.parametrize("q", ["", "31/02/2020", "x" * 5000, "%00", "' OR 1=1 --", "99/99/9999"])
def test_search_never_fails_on_odd_input(alice, kids, login, q):
    assert login(alice).get("/children/", {"q": q}).status_code == 200

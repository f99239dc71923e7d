from datetime import date

from tests.ui import builders


def test_a_social_worker_lands_on_my_work(alice, login):
    response = login(alice).get("/")
    assert response.status_code == 302
    assert response.url == "/my-work/"


def test_a_team_manager_sees_the_team_board_and_queues(mary, alice, login):
    builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    body = login(mary).get("/").content.decode()
    assert "Assessment 1 caseloads" in body
    assert "Front door: 0 contacts" in body
    assert str(alice.worker) in body


def test_head_of_service_sees_kpi_link_and_caseload_overview(henry, alice, login):
    builders.caseload(alice.worker, 3, referred_on=date(2025, 4, 1))
    body = login(henry).get("/").content.decode()
    assert 'href="/kpis/"' in body
    assert "Caseload overview" in body


def test_home_requires_sign_in(client):
    assert client.get("/").status_code == 302

"""The benchmark harness's own logic: pre-made sessions and reading locust's figures."""

import csv

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role, User
from bench import load
from bench.sessions import USERNAMES, session_keys
from bench.targets import missed

STATS = ["Type", "Name", "Request Count", "Failure Count", "95%"]


def _write(path, rows, header=STATS):
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def test_a_page_with_no_requests_has_no_p95_and_leaves_the_error_rate_unknown(tmp_path):
    _write(
        tmp_path / "load_stats.csv",
        [
            ["GET", "worktray", "120", "0", "180"],
            ["GET", "caseload_board", "80", "0", "210"],
            ["", "Aggregated", "200", "0", "200"],
        ],
    )
    _write(tmp_path / "load_exceptions.csv", [["3", "RuntimeError", "tb", "local"]],
           header=["Count", "Message", "Traceback", "Nodes"])  # fmt: skip
    out = load._read_stats(tmp_path, users=100, duration=60)
    assert out["kpi_dashboard_requests"] == 0
    assert out["kpi_dashboard_p95_ms"] is None
    assert out["load_pages_unmeasured"] == ["kpi_dashboard"]
    assert out["load_exceptions"] == 3
    assert out["error_rate"] is None
    assert out["load_wait_s"] == [3, 10]
    flagged = missed(out)
    assert "kpi_dashboard_p95_ms" in flagged and "error_rate" in flagged
    assert "worktray_p95_ms" not in flagged


def test_exceptions_in_virtual_users_count_as_errors(tmp_path):
    _write(
        tmp_path / "load_stats.csv",
        [
            ["GET", "worktray", "100", "1", "180"],
            ["GET", "caseload_board", "50", "0", "210"],
            ["GET", "kpi_dashboard", "50", "0", "300"],
            ["", "Aggregated", "200", "1", "200"],
        ],
    )
    _write(tmp_path / "load_exceptions.csv", [["1", "RuntimeError", "tb", "local"]],
           header=["Count", "Message", "Traceback", "Nodes"])  # fmt: skip
    out = load._read_stats(tmp_path, users=100, duration=60)
    assert out["error_rate"] == 0.01
    assert out["worktray_p95_ms"] == 180.0


@pytest.mark.django_db
def test_pre_made_sessions_are_signed_in_through_the_real_middleware():
    for username, role in zip(USERNAMES, [Role.SOCIAL_WORKER, Role.TEAM_MANAGER,
                                          Role.HEAD_OF_SERVICE], strict=True):  # fmt: skip
        User.objects.create(username=username, role=role)
    keys = session_keys(2)
    assert sorted(keys) == sorted(USERNAMES)
    assert len(set(keys["sw"])) == 2  # one session per virtual user
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = keys["sw"][0]
    response = client.get("/my-work/")
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "sw"
    assert Client().get("/my-work/").status_code == 302  # without the cookie: sign in

"""Response headers and the production deployment check."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.accounts.builders import make_child, make_team, make_user

pytestmark = pytest.mark.django_db
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3" * 20 + "abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "caseflow.example.gov.uk",
}


def _run(args, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASEFLOW_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **extra_env})
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _run(["manage.py", "check", "--deploy"], PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in output and "?: (" not in output


def test_production_requires_two_factor_and_the_demo_does_not():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.CASEFLOW_REQUIRE_2FA)"
    assert _run(["-c", code], PRODUCTION).stdout.strip() == "True"
    assert _run(["-c", code], {}).stdout.strip() == "False"
    assert _run(["-c", code], {**PRODUCTION, "CASEFLOW_DEMO": "true"}).stdout.strip() == "False"


def test_passwords_are_hashed_with_argon2():
    # Checked in a fresh process: tests/accounts swaps in a fast hasher.
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.PASSWORD_HASHERS[0])"
    hasher = _run(["-c", code], PRODUCTION).stdout.strip()
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_signed_in_pages_are_not_stored_and_carry_the_security_headers(client):
    user = make_user(team=make_team())
    make_child()
    client.force_login(user)
    response = client.get("/children/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_pages_have_no_inline_script_for_the_policy_to_block(client):
    page = client.get("/accounts/login/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    assert all("src=" in tag for tag in scripts), scripts


def test_production_responses_carry_hsts_and_only_secure_http_only_cookies(tmp_path):
    # A fresh process so the settings are production's own, not this test run's.
    probe = os.path.join(os.path.dirname(__file__), "production_probe.py")
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/probe.sqlite3"}
    env["PYTHONPATH"] = os.getcwd()
    result = _run([probe], env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["plain"] == [301, "https://caseflow.example.gov.uk/probe/"]
    assert seen["session"] == {"secure": True, "httponly": True, "samesite": "Lax", "max-age": 1800}
    assert seen["csrf"] == {"secure": True, "httponly": True, "samesite": "Lax"}

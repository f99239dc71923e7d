"""The container's own health probe (curl http://127.0.0.1:8000/readyz) under production
settings: answered with the health JSON, never a 400 for the Host or a 301 to https."""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
cases = {
    "healthz_loopback": ("/healthz", {"HTTP_HOST": "127.0.0.1"}),
    "readyz_loopback_port": ("/readyz", {"HTTP_HOST": "127.0.0.1:8000"}),
    "healthz_localhost": ("/healthz", {"HTTP_HOST": "localhost:8000"}),
    "healthz_public_http": ("/healthz", {"HTTP_HOST": "caseflow.example.gov.uk"}),
    "login_public_http": ("/accounts/login/", {"HTTP_HOST": "caseflow.example.gov.uk"}),
    "login_loopback": ("/accounts/login/", {"HTTP_HOST": "127.0.0.1"}),
    "healthz_spoofed_from_outside": (
        "/healthz", {"HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "203.0.113.9"}),
    "healthz_other_host": ("/healthz", {"HTTP_HOST": "evil.example"}),
}
out = {}
for name, (path, extra) in cases.items():
    r = client.get(path, **extra)
    body = json.loads(r.content) if r.get("Content-Type") == "application/json" else None
    out[name] = {"status": r.status_code, "json": body}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def answers():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "x7" * 40,
            # As in .env.example: only the public name; no DJANGO_SECURE_SSL_REDIRECT.
            "DJANGO_ALLOWED_HOSTS": "caseflow.example.gov.uk",
            "CASEFLOW_LOG_LEVEL": "CRITICAL",
        }
    )
    run = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", ["healthz_loopback", "readyz_loopback_port", "healthz_localhost"])
def test_a_loopback_probe_gets_the_health_json(answers, case):
    answer = answers[case]
    assert answer["status"] in (200, 503)
    assert answer["json"]["status"] in ("ok", "unavailable")
    assert "database" in answer["json"]["checks"]


def test_a_probe_over_plain_http_with_the_public_host_is_not_redirected(answers):
    assert answers["healthz_public_http"]["status"] in (200, 503)
    assert "checks" in answers["healthz_public_http"]["json"]
    # Pages are still sent to https.
    assert answers["login_public_http"]["status"] == 301


def test_loopback_hosts_reach_only_the_probes_not_the_pages(answers):
    assert answers["login_loopback"]["status"] == 400
    assert answers["healthz_spoofed_from_outside"]["status"] == 400
    assert answers["healthz_other_host"]["status"] == 400

"""`make serve`'s process set (gunicorn, worker, beat) answers /readyz, and names a lost broker."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.databases import template_copy

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.services


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _readyz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=15) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
        # Not up yet, or too slow to answer: _wait_until keeps asking.
        return 0, {"error": repr(err)}


def _wait_until(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except OSError as exc:
            last = exc
        time.sleep(1)
    raise AssertionError(f"gave up waiting; last result {last!r}")


@pytest.fixture
def own_redis(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    _wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1), 20)
    yield proc, f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        proc.kill()


@pytest.fixture
def serve_database():
    """Under `make test` a copy of the migrated test template, so serve.sh's migrate has
    nothing to apply (it still runs, and /readyz still checks that nothing is pending)."""
    with template_copy() as urls:
        yield urls


def test_serve_is_ready_then_names_the_broker_when_redis_stops(own_redis, serve_database, tmp_path):
    redis_proc, broker_url = own_redis
    port = _free_port()
    env = {
        **os.environ,
        **serve_database,
        "CELERY_BROKER_URL": broker_url,
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "CASEFLOW_SERVE_DIR": str(tmp_path / "serve"),
        "CASEFLOW_SERVE_LOAD_DEMO": "false",
    }
    serve = subprocess.Popen(
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status, body = _wait_until(lambda: (s := _readyz(port))[0] == 200 and s, 180)
        assert body["checks"]["worker"].startswith("ok (")
        redis_proc.kill()
        redis_proc.wait()
        asked = time.monotonic()
        status, body = _readyz(port)
        assert status == 503, body
        # The worker ping is skipped once the broker has failed, so the answer is quick.
        assert time.monotonic() - asked < 5
        assert body["checks"]["worker"] == "not checked: broker unavailable"
        assert "broker" in body["failing"]
        assert body["checks"]["database"] == "ok"
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)

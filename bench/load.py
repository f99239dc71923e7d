"""Page latency under load: gunicorn on 127.0.0.1, locust in headless mode, bounded in time."""

from __future__ import annotations

import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "worktray": "worktray",
    "caseload_board": "caseload_board",
    "kpi_dashboard": "kpi_dashboard",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def _bench_users(password: str) -> None:
    from casework.demo import ensure_demo_users

    ensure_demo_users(password=password)


def run(*, users: int, duration: int) -> dict:
    password = secrets.token_urlsafe(16)
    _bench_users(password)
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "CASEFLOW_DEMO": "true",  # no 2FA step for the virtual users
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "CASEFLOW_LOG_LEVEL": "WARNING",
        "CASEFLOW_LOGIN_FAILURE_LIMIT": "100000",
        "BENCH_PASSWORD": password,
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    workers = str(max(2, (os.cpu_count() or 2) * 2 + 1))
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", workers, "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_ready(f"http://127.0.0.1:{port}/healthz")
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                 "--headless", "-u", str(users), "-r", str(max(1, users // 10)),
                 "-t", f"{duration}s", "--host", f"http://127.0.0.1:{port}",
                 "--csv", f"{tmp}/load", "--only-summary", "--stop-timeout", "10"],
                cwd=ROOT, env=env, timeout=duration + 180,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            return _read_stats(Path(tmp) / "load_stats.csv", users=users, duration=duration)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)


def _read_stats(path: Path, *, users: int, duration: int) -> dict:
    rows = {row["Name"]: row for row in csv.DictReader(path.open())}
    out = {"load_users": users, "load_duration_s": duration}
    for key, name in PAGES.items():
        row = rows.get(name)
        out[f"{key}_p95_ms"] = float(row["95%"]) if row and row["95%"] != "N/A" else None
        out[f"{key}_requests"] = int(row["Request Count"]) if row else 0
    total = rows.get("Aggregated")
    requests = int(total["Request Count"]) if total else 0
    failures = int(total["Failure Count"]) if total else 0
    out["load_requests"] = requests
    out["error_rate"] = round(failures / requests, 4) if requests else None
    return out

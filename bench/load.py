"""Page latency under load: gunicorn on 127.0.0.1, locust in headless mode, bounded in time.

The virtual users reuse sessions signed in before the run (bench/sessions.py). Locust ramps
them up, then resets its statistics (``--reset-stats``) so the figures cover ``duration``
seconds with every user at work. A page with no measured request has a null p95 and makes
the error rate null, so both show under "missed".

The load generator runs on a CPU of its own (``taskset``: locust on the last CPU, gunicorn
on the others; PostgreSQL is not pinned), so it does not take CPU from the server it
measures, and its own CPU time is reported as ``load_cpu_s`` with the CPUs each side had
(``load_generator_cpus``, ``load_server_cpus``). On a 2-core machine the server therefore
has one core for gunicorn: compare p95 figures only between runs made the same way.
"""

from __future__ import annotations

import csv
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Think time between a virtual user's page views, in seconds: a practitioner reads a
# worktray, a caseload board or a dashboard before the next click, so 3 to 10 s is a busy
# user. 100 users at that pace ask for about 15 pages a second, well above a real
# authority's peak (a few hundred staff spread over the working day). Reported as
# ``load_wait_s``.
WAIT_S = (3, 10)
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
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "CASEFLOW_DEMO": "true",  # no 2FA step for the virtual users
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "CASEFLOW_LOG_LEVEL": "WARNING",
        "CASEFLOW_LOGIN_FAILURE_LIMIT": "100000",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    workers = str(max(2, (os.cpu_count() or 2) * 2 + 1))
    server_cpus, load_cpus = _split_cpus()
    gunicorn = subprocess.Popen(
        [*_pinned(server_cpus), sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind",
         f"127.0.0.1:{port}", "--workers", workers, "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    ramp_s = -(-users // max(1, users // 10))
    try:
        _wait_ready(f"http://127.0.0.1:{port}/healthz")
        with tempfile.TemporaryDirectory() as tmp:
            sessions = Path(tmp) / "sessions.json"
            made = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "sessions.py"), str(users)],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            sessions.write_text(made.stdout)
            before = _children_cpu_s()
            locust = subprocess.Popen(
                [*_pinned(load_cpus), sys.executable, "-m", "locust", "-f",
                 str(ROOT / "bench" / "locustfile.py"),
                 "--headless", "-u", str(users), "-r", str(max(1, users // 10)),
                 "-t", f"{duration + ramp_s}s", "--reset-stats",
                 "--host", f"http://127.0.0.1:{port}",
                 "--csv", f"{tmp}/load", "--only-summary", "--stop-timeout", "10"],
                cwd=ROOT, env={**env, "BENCH_SESSIONS": str(sessions),
                                "BENCH_WAIT_S": ",".join(map(str, WAIT_S))},
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            load_cpu_s = _wait_cpu_s(locust, before, timeout=duration + ramp_s + 180)
            out = _read_stats(Path(tmp), users=users, duration=duration)
            out["load_ramp_s"] = ramp_s
            out["load_cpu_s"] = load_cpu_s
            out["load_generator_cpus"] = sorted(load_cpus)
            out["load_server_cpus"] = sorted(server_cpus)
            return out
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)


def _split_cpus() -> tuple[set[int], set[int]]:
    """(gunicorn's CPUs, locust's CPUs): the load generator gets the last CPU to itself,
    so it never takes CPU from the server it measures (PostgreSQL is not pinned). On one
    CPU both share it."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or not shutil.which("taskset"):
        return set(cpus), set(cpus)
    return set(cpus[:-1]), {cpus[-1]}


def _pinned(cpus: set[int]) -> list[str]:
    if not shutil.which("taskset") or cpus == set(os.sched_getaffinity(0)):
        return []
    return ["taskset", "-c", ",".join(map(str, sorted(cpus)))]


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wait_cpu_s(proc: subprocess.Popen, before: float, *, timeout: float) -> float:
    """Wait for the load generator; return the CPU seconds it used (user + system): the
    growth of the reaped children's total, locust being the only child reaped meanwhile."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return round(_children_cpu_s() - before, 1)


def _read_stats(tmp: Path, *, users: int, duration: int) -> dict:
    rows = {row["Name"]: row for row in csv.DictReader((tmp / "load_stats.csv").open())}
    out = {"load_users": users, "load_duration_s": duration, "load_wait_s": list(WAIT_S)}
    unmeasured = []
    for key, name in PAGES.items():
        row = rows.get(name)
        count = int(row["Request Count"]) if row else 0
        out[f"{key}_requests"] = count
        out[f"{key}_p95_ms"] = float(row["95%"]) if count and row["95%"] != "N/A" else None
        if not count:
            unmeasured.append(key)
    total = rows.get("Aggregated")
    requests = int(total["Request Count"]) if total else 0
    failures = int(total["Failure Count"]) if total else 0
    # An exception in a virtual user (say in on_start) is no request, so locust counts it
    # apart from failures; it is an error all the same.
    exceptions_csv = tmp / "load_exceptions.csv"
    exceptions = (
        sum(int(row["Count"]) for row in csv.DictReader(exceptions_csv.open()))
        if exceptions_csv.exists()
        else 0
    )
    out["load_requests"] = requests
    out["load_exceptions"] = exceptions
    out["load_pages_unmeasured"] = unmeasured
    measured = requests and not unmeasured
    out["error_rate"] = round((failures + exceptions) / requests, 4) if measured else None
    return out

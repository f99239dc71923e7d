"""Virtual users for `make bench`: social workers, managers and heads of service at work.

Each user starts with a session signed in before the run (bench/sessions.py, keys in the
JSON file named by BENCH_SESSIONS), so the measured window is spent on the pages, not on
argon2 password checks. Requests still go through gunicorn, the database session and every
middleware. A page answering anything but 200 (a redirect to the sign-in page included)
is a failure.
Think time between page views: BENCH_WAIT_S ("3,10"), chosen and explained in bench/load.py.
"""

import itertools
import json
import os
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, task

WAIT_S = [float(s) for s in os.environ["BENCH_WAIT_S"].split(",")]
SESSIONS = json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text())
_NEXT = {name: itertools.cycle(keys) for name, keys in SESSIONS.items()}


class _SignedIn(HttpUser):
    abstract = True
    wait_time = between(*WAIT_S)
    username = ""

    def on_start(self):
        self.client.cookies.set(
            "sessionid", next(_NEXT[self.username]), domain=urlparse(self.host).hostname, path="/"
        )

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")


class SocialWorker(_SignedIn):
    weight = 5
    username = "sw"

    @task
    def worktray(self):
        self.page("/my-work/", "worktray")


class TeamManager(_SignedIn):
    weight = 3
    username = "tm"

    @task
    def caseload_board(self):
        self.page("/caseloads/", "caseload_board")


class HeadOfService(_SignedIn):
    weight = 2
    username = "hos"

    @task
    def kpi_dashboard(self):
        self.page("/kpis/", "kpi_dashboard")

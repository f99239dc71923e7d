"""Virtual users for `make bench`: social workers, managers and heads of service at work."""

import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ["BENCH_PASSWORD"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )
        if "/accounts/login/" in response.url:
            raise RuntimeError(f"bench user {self.username} could not sign in")


class SocialWorker(_SignedIn):
    weight = 5
    username = "sw"

    @task
    def worktray(self):
        self.client.get("/my-work/", name="worktray")


class TeamManager(_SignedIn):
    weight = 3
    username = "tm"

    @task
    def caseload_board(self):
        self.client.get("/caseloads/", name="caseload_board")


class HeadOfService(_SignedIn):
    weight = 2
    username = "hos"

    @task
    def kpi_dashboard(self):
        self.client.get("/kpis/", name="kpi_dashboard")

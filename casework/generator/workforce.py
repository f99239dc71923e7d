"""Teams, workers and allocation: who holds each open episode on each day.

Workers join and leave (turnover; agency workers stay shorter), a manager gets a post
approved when the area's caseloads run high, and cases wait unallocated when nobody has
room (seed 002: 76 unallocated children). Newly qualified workers are protected at 18.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from casework.generator import config as cfg
from casework.models.organisation import (
    CASE_HOLDING_ROLES,
    FRONT_DOOR_SIGN_IN_ROLES,
    SOCIAL_WORK_ROLES,
)

AREA_LABELS = {
    "front_door": "MASH",
    "assessment": "Assessment",
    "safeguarding": "Safeguarding",
    "cin": "Children in Need",
}
PLACES = ["North", "South", "East", "West", "Central", "Valley", "Coast", "Riverside"]


@dataclass
class WorkerState:
    id: int
    team: int
    area: str
    role: str
    cap: int
    fte: Decimal
    employment: str
    nq: bool
    started_on: date
    left_on: date | None
    first_name: str
    last_name: str
    staff_id: str
    user_id: int | None = None
    load: int = 0
    active: bool = False
    cases: dict = field(default_factory=dict)  # episode id -> Segment

    @property
    def case_holding(self) -> bool:
        return self.role in CASE_HOLDING_ROLES


def swe_registration(w: WorkerState) -> str:
    """A Social Work England number for a registered worker (the CSWW scope: family and
    business support are not registered): "SW" and six digits, unique because it is made
    from the worker's id."""
    return f"SW{100000 + w.id}" if w.role in SOCIAL_WORK_ROLES else ""


@dataclass
class Segment:
    """One Allocation row: an episode held by a worker (or waiting: worker None)."""

    id: int
    worker: int
    team: int
    started_on: date
    reason: str
    ended_on: date | None = None
    end_reason: str = ""


class Workforce:
    def __init__(self, sim, scale, start: date, end: date):
        self.sim = sim
        self.rng = random.Random(sim.seed * 7 + 3)
        self.start, self.end = start, end
        self.teams: dict[str, list[int]] = {}
        self.team_rows: list[dict] = []
        self.workers: dict[int, WorkerState] = {}
        self.by_area: dict[str, list[WorkerState]] = {}
        self.waiting: dict[str, list] = {}
        self.pending_hires: dict[str, int] = {}
        self.front_door_users: dict[str, list[int]] = {"record": [], "decide": []}
        self.next_worker = sim.ids["worker"]
        self.next_team = sim.ids["team"]
        self._build_teams(scale)

    # -- organisation -------------------------------------------------------------------
    def _build_teams(self, scale) -> None:
        for area, count in scale.teams.items():
            self.teams[area] = []
            self.by_area[area] = []
            self.waiting[area] = []
            self.pending_hires[area] = 0
            for i in range(count):
                name = f"{AREA_LABELS[area]} {PLACES[i % len(PLACES)]}"
                if i >= len(PLACES):
                    name += f" {i // len(PLACES) + 1}"
                team_id = self.next_team
                self.next_team += 1
                self.teams[area].append(team_id)
                self.team_rows.append(
                    {"id": team_id, "name": name, "service_area": area, "is_active": True}
                )

    def route(self, area: str) -> str:
        return area if self.teams.get(area) else "safeguarding"

    def staff(self, referrals_per_year: float) -> None:
        """The workforce on the first day: managers, support staff and enough case-holders
        for ~75% of the steady-state caseload (hiring tops up as demand shows)."""
        need = {"front_door": 0.01, "assessment": 0.17, "safeguarding": 0.09, "cin": 0.11}
        if not self.teams.get("cin"):
            need["safeguarding"] += need.pop("cin")
        first = True
        for area, team_ids in self.teams.items():
            holders = max(len(team_ids) * 3, math.ceil(
                referrals_per_year * need[area] * 0.75 / cfg.TARGET_CASELOAD))  # fmt: skip
            for i, team_id in enumerate(team_ids):
                manager = self._hire(area, team_id, "team_manager", self.start, initial=True)
                self.team_rows[self._team_index(team_id)]["manager_id"] = manager.id
                if first:
                    self._hire(area, team_id, "head_of_service", self.start, initial=True)
                    first = False
                self._hire(area, team_id, "business_support", self.start, initial=True)
                if area != "front_door":
                    self._hire(area, team_id, "family_support", self.start, initial=True)
                share = holders // len(team_ids) + (1 if i < holders % len(team_ids) else 0)
                for j in range(share):
                    role = "senior_practitioner" if j == 0 else "social_worker"
                    self._hire(area, team_id, role, self.start, initial=True)

    def _team_index(self, team_id: int) -> int:
        return team_id - self.team_rows[0]["id"]

    def _hire(self, area, team_id, role, day: date, initial=False) -> WorkerState:
        rng, people = self.rng, self.sim.people
        holding = role in CASE_HOLDING_ROLES
        agency = holding and rng.random() < cfg.AGENCY_SHARE
        nq = holding and not agency and role == "social_worker" and (
            rng.random() < cfg.NEWLY_QUALIFIED_SHARE)  # fmt: skip
        if initial:
            started = day - timedelta(days=rng.randint(0, 365 * (1 if agency or nq else 8)))
        else:
            started = day + timedelta(days=rng.randint(20, 60))
        mean = cfg.AGENCY_MEAN_YEARS if agency else cfg.PERMANENT_MEAN_YEARS
        tenure = int(rng.expovariate(1 / (mean * 365))) + 60
        left = started + timedelta(days=tenure)
        if left <= day or not holding:
            left = None if not holding else day + timedelta(days=rng.randint(30, 400))
        if left is not None and left > self.end:
            left = None
        fte = (
            Decimal("1.00")
            if rng.random() < 0.85
            else rng.choice([Decimal("0.60"), Decimal("0.80")])
        )
        cap = cfg.NQ_LIMIT if nq else max(8, round(rng.randint(20, 30) * float(fte)))
        sex = rng.choice("MF")
        w = WorkerState(
            id=self.next_worker,
            team=team_id,
            area=area,
            role=role,
            cap=cap,
            fte=fte,
            employment="agency" if agency else "permanent",
            nq=nq,
            started_on=started,
            left_on=left,
            first_name=people.first_name(rng, sex),
            last_name=rng.choice(people.surnames),
            staff_id=f"{'A' if agency else 'P'}{self.next_worker:06d}",
        )
        self.next_worker += 1
        self.workers[w.id] = w
        if area == "front_door" and role in FRONT_DOOR_SIGN_IN_ROLES:
            self._front_door_user(w)
        if holding:
            self.by_area[area].append(w)
        self.sim.write_worker(w)
        if started <= day:
            w.active = True
        else:
            self.sim.schedule(started, "start", w.id)
            if holding:
                self.pending_hires[area] += 1
        if left is not None:
            self.sim.schedule(left, "leave", w.id)
        return w

    def _front_door_user(self, w: WorkerState) -> None:
        """Screening staff sign in: contacts record who logged and who decided them."""
        from accounts.models import Role, User

        role = Role.TEAM_MANAGER if w.role == "team_manager" else Role.BUSINESS_SUPPORT
        user, _ = User.objects.get_or_create(
            username=f"fd-{w.staff_id.lower()}",
            defaults={"first_name": w.first_name, "last_name": w.last_name, "role": role},
        )
        w.user_id = user.pk
        kind = "decide" if role == Role.TEAM_MANAGER else "record"
        self.front_door_users[kind].append(user.pk)

    # -- events --------------------------------------------------------------------------
    def worker_starts(self, worker_id: int, day: date) -> None:
        w = self.workers[worker_id]
        w.active = True
        if w.case_holding:
            self.pending_hires[w.area] -= 1

    def worker_leaves(self, worker_id: int, day: date) -> None:
        w = self.workers[worker_id]
        w.active = False
        if w.case_holding:
            self.by_area[w.area] = [x for x in self.by_area[w.area] if x.id != w.id]
        for episode in list(w.cases.values()):
            self.release(episode, day, "Worker left")
            delay = self.rng.randint(*cfg.REALLOCATION_DELAY_WD)
            self.sim.schedule(self.sim.days.add(day, delay), "realloc", episode.id)

    def review_staffing(self, day: date) -> None:
        """Weekly: approve a post where the area's average caseload runs high."""
        for area, workers in self.by_area.items():
            if area == "front_door":
                continue
            active = [w for w in workers if w.active]
            demand = sum(w.load for w in active) + len(self.waiting[area])
            capacity = len(active) + self.pending_hires[area]
            if capacity == 0 or demand / capacity > cfg.HIRE_ABOVE:
                teams = self.teams[area]
                sizes = dict.fromkeys(teams, 0)
                for w in workers:
                    sizes[w.team] += 1
                team = min(teams, key=lambda t: (sizes[t], t))
                self._hire(area, team, "social_worker", day)

    # -- allocation ----------------------------------------------------------------------
    def request(self, episode, area: str, day: date, reason: str) -> None:
        area = self.route(area)
        episode.area = area
        worker = self._choose(area)
        if worker is None:
            episode.waiting_since = day
            episode.waiting_reason = reason
            episode.wait_token += 1
            self.waiting[area].append((episode, episode.wait_token))
            return
        self._assign(episode, worker, day, reason)

    def _choose(self, area: str) -> WorkerState | None:
        workers = self.by_area[area]
        if not workers:
            return None
        rng = self.rng
        best = None
        for _ in range(3):
            w = workers[rng.randrange(len(workers))]
            if w.active and w.load < w.cap and (best is None or w.load < best.load):
                best = w
        if best is None:
            room = [w for w in workers if w.active and w.load < w.cap]
            best = min(room, key=lambda w: (w.load, w.id)) if room else None
        return best

    def _assign(self, episode, worker: WorkerState, day: date, reason: str) -> None:
        seg = Segment(self.sim.next_id("allocation"), worker.id, worker.team, day, reason)
        episode.segments.append(seg)
        episode.current = seg
        episode.waiting_since = None
        worker.load += 1
        worker.cases[episode.id] = episode

    def release(self, episode, day: date, end_reason: str) -> None:
        seg = episode.current
        if seg is not None:
            seg.ended_on, seg.end_reason = day, end_reason
            worker = self.workers[seg.worker]
            worker.load -= 1
            worker.cases.pop(episode.id, None)
            episode.current = None
        episode.waiting_since = None  # dropped lazily from the waiting list

    def allocate_waiting(self, day: date) -> None:
        for area, queue in self.waiting.items():
            if not queue:
                continue
            still = []
            for episode, token in queue:
                if episode.waiting_since is None or episode.closed or token != episode.wait_token:
                    continue
                worker = self._choose(area) if not still else None
                if worker is None:
                    still.append((episode, token))
                else:
                    self._assign(episode, worker, day, episode.waiting_reason)
            self.waiting[area] = still

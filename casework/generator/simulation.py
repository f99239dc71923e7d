"""The day-by-day simulation: contacts arrive, are screened, some become referrals whose
episodes run their timelines while the workforce allocates, transfers and reallocates.

Deterministic for a seed: one ``random.Random`` per concern, events in a heap ordered by
(date, sequence), and no iteration over unordered collections.
"""

from __future__ import annotations

import heapq
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from casework import timescales as ts
from casework.generator import config as cfg
from casework.generator.families import ChildState, Families, HouseholdState
from casework.generator.people import People
from casework.generator.records import write_episode
from casework.generator.timeline import Days, TimelineBuilder, draw_path, pick
from casework.generator.workforce import Workforce, swe_registration
from casework.models import Child, Household, Worker
from casework.transitions import unsaved
from referrals.models import Contact, ContactChild
from referrals.services import (
    ChildEpisodes,
    decide_contact_record,
    decide_referral_open,
    decide_screen,
)

LONDON = ZoneInfo("Europe/London")
# The generated authority keeps the model's screening standard (1 working day from receipt).
GENERATED_STANDARD = ts.default_screening_standard()
REASONS = {
    "6": ["Domestic abuse incident attended by police", "Child found missing overnight",
          "Concern about adult supervision reported after a call-out"],
    "5A": ["Adult social care worker concerned about parenting capacity",
           "Request for assessment from a children's social care colleague"],
    "5C": ["Family moved into the area from another authority", "Transfer-in notification"],
    "2A": ["Child disclosed an injury at school", "Persistent absence and poor presentation"],
}  # fmt: skip
DEFAULT_REASONS = [
    "Concerns about the care of the child",
    "Worry about neglect at home",
    "Parental mental health affecting the children",
    "Substance misuse at home",
]


class Episode:
    __slots__ = ("id", "child", "contact_child_id", "source", "referred_on", "created_at",
                 "timeline", "segments", "current", "area", "waiting_since", "waiting_reason",
                 "wait_token", "closed", "status")  # fmt: skip

    def __init__(self, id, child, contact_child_id, source, referred_on, created_at, timeline,
                 status):  # fmt: skip
        self.id, self.child, self.contact_child_id = id, child, contact_child_id
        self.status = status  # as opened (decide_referral_open)
        self.source, self.referred_on, self.created_at = source, referred_on, created_at
        self.timeline = timeline
        self.segments, self.current, self.area = [], None, ""
        self.waiting_since, self.waiting_reason, self.wait_token = None, "", 0
        self.closed = False


class Simulation:
    def __init__(self, *, scale, seed, start, end, contacts_per_year, writer, ids, calendar,
                 la_code, visit_standard, warmup_years):  # fmt: skip
        self.scale, self.seed, self.end = scale, seed, end
        # The window written to the database starts at ``window``; the simulation starts
        # ``warmup_years`` earlier so the window opens with open cases, busy workers and
        # children already known (re-referrals, repeat plans), as a live system would.
        self.window = start
        self.start = start - timedelta(days=round(365.25 * warmup_years))
        self.recording = warmup_years == 0
        self.writer, self.ids = writer, dict(ids)
        self.days = Days(calendar)
        self.builder = TimelineBuilder(self.days, end)
        self.people = People(seed, la_code)
        self.visit_standard = visit_standard
        self.rng = random.Random(seed)  # contacts and screening
        self.case_rng = random.Random(seed * 31 + 1)  # timelines
        self.child_rng = random.Random(seed * 17 + 5)  # people
        self.children_per_day = contacts_per_year / 365.25
        mean_children = sum(n * p for n, p in cfg.CHILDREN_PER_CONTACT)
        self.contacts_per_day = self.children_per_day / mean_children
        self._weight_norm = self._mean_weight()
        self.heap: list = []
        self.seq = 0
        self.open: dict[int, Episode] = {}
        self._stamps: dict[date, datetime] = {}
        self.source_codes = [s[0] for s in cfg.SOURCES]
        self.source_weights = [s[1] for s in cfg.SOURCES]
        self.conversion = {s[0]: s[2] for s in cfg.SOURCES}
        self.chairs = [
            f"{self.people.first_name(self.child_rng, 'X')} "
            f"{self.child_rng.choice(self.people.surnames)}"
            for _ in range(8)
        ]
        self.families = Families(self)
        self.workforce = Workforce(self, scale, self.start, end)
        self.workforce.staff(contacts_per_year * 0.30)

    # -- plumbing ------------------------------------------------------------------------
    def next_id(self, name: str) -> int:
        value = self.ids[name]
        self.ids[name] = value + 1
        return value

    def schedule(self, day: date, kind: str, payload) -> None:
        if day <= self.end:
            self.seq += 1
            heapq.heappush(self.heap, (day, self.seq, kind, payload))

    def stamp(self, day: date) -> datetime:
        found = self._stamps.get(day)
        if found is None:
            found = self._stamps[day] = datetime.combine(day, time(12), tzinfo=UTC)
        return found

    def chair(self) -> str:
        return self.chairs[self.case_rng.randrange(len(self.chairs))]

    def write_worker(self, w) -> None:
        nq_now = w.nq and (self.end - w.started_on).days < 365
        self.writer.add(Worker, {
            "id": w.id, "user_id": w.user_id, "staff_id": w.staff_id, "first_name": w.first_name,
            "last_name": w.last_name, "team_id": w.team, "role": w.role, "fte": w.fte,
            "employment": w.employment, "newly_qualified": nq_now,
            "protected_caseload_limit": cfg.NQ_LIMIT if nq_now else None,
            "started_on": w.started_on, "left_on": w.left_on,
            "swe_registration": swe_registration(w),
        }, history_date=self.stamp(max(w.started_on, self.start)))  # fmt: skip

    # -- the day loop --------------------------------------------------------------------
    def run(self) -> None:
        day = self.start
        while day <= self.end:
            if not self.recording and day >= self.window:
                self._open_window()
            recontacts = self._events(day)
            if day.weekday() == 0:
                self.workforce.review_staffing(day)
            self._new_contacts(day, recontacts)
            self._events(day)  # what today's same-day screening decisions started
            if self.days.is_working(day):
                self.workforce.allocate_waiting(day)
            self.writer.maybe_flush()
            day += timedelta(days=1)
        for episode in list(self.open.values()):
            self.ensure_written(episode.child)
            write_episode(self, episode)
        self.open.clear()

    def _open_window(self) -> None:
        """Episodes open on the first day of the window are part of it, with their history."""
        self.recording = True
        for episode in self.open.values():
            self.ensure_written(episode.child)

    def ensure_written(self, child: ChildState) -> None:
        if not child.pending:
            return
        household = child.household
        if household.pending is not None:
            self.writer.add(Household, household.pending)
            household.pending = None
        for kind, row, *extra in self.families.child_rows(child):
            if kind == "row":
                self.writer.add(Child, row)
            elif kind == "final":
                self.writer.add(Child, row, history=False)
            else:
                self.writer.add_history(Child, row, *extra)
        child.pending = False
        for episode in child.legacy:
            write_episode(self, episode)
        child.legacy = []

    def _events(self, day: date) -> int:
        recontacts = 0
        wf = self.workforce
        while self.heap and self.heap[0][0] <= day:
            _, _, kind, payload = heapq.heappop(self.heap)
            if kind == "recontact":
                recontacts += self._contact(day, payload)
            elif kind in ("allocate", "transfer", "realloc"):
                episode_id, area, reason = payload if kind != "realloc" else (payload, "", "")
                episode = self.open.get(episode_id)
                if episode is None or episode.closed:
                    continue
                if kind == "transfer":
                    wf.release(episode, day, "Transferred to another team")
                    wf.request(episode, area, day, "transfer")
                elif kind == "realloc":
                    if episode.current is None and episode.waiting_since is None:
                        wf.request(episode, episode.area, day, "worker_left")
                else:
                    wf.request(episode, area, day, reason)
            elif kind == "close":
                self._close(day, payload)
            elif kind == "start":
                wf.worker_starts(payload, day)
            elif kind == "leave":
                wf.worker_leaves(payload, day)
        return recontacts

    def _mean_weight(self) -> float:
        total, day = 0.0, date(2023, 1, 1)
        for i in range(365):
            total += self._day_weight(day + timedelta(days=i))
        return total / 365

    def _day_weight(self, day: date) -> float:
        weight = cfg.MONTH_WEIGHT[day.month]
        if (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1):
            weight *= cfg.CHRISTMAS_WEIGHT
        if not self.days.is_working(day):
            weight *= cfg.NON_WORKING_DAY_WEIGHT
        return weight

    def _new_contacts(self, day: date, recontacts: int) -> None:
        expected = self.contacts_per_day * self._day_weight(day) / self._weight_norm
        n = int(expected) + (1 if self.rng.random() < expected - int(expected) else 0)
        for _ in range(max(0, n - recontacts)):
            self._contact(day, None)

    # -- contacts and screening ----------------------------------------------------------
    def _contact(self, day: date, household: HouseholdState | None) -> int:
        rng = self.rng
        known = household is not None
        if known:
            children = [c for c in household.children if c.exists_on(day)]
            if rng.random() < 0.04:
                children.append(self.families.new_child(household, day, unborn=True))
            if not children:
                return 0
        else:
            household = self.families.new_household(day)
            children = household.children
        source = rng.choices(self.source_codes, self.source_weights)[0]
        received = self._received_at(day)
        decided_on = self._decision_day(day, received)
        decided = decided_on <= self.end
        contact_id = self.next_id("contact") if self.recording else None
        decided_at = self._decided_at(decided_on, received) if decided else None
        reasons = REASONS.get(source, DEFAULT_REASONS)
        add = self.writer.add if self.recording else _skip
        staff = self.workforce.front_door_users
        recorder = staff["record"][rng.randrange(len(staff["record"]))]
        decider = staff["decide"][rng.randrange(len(staff["decide"]))]
        contact = {
            "id": contact_id, "received_at": received, "source": source,
            "reason": reasons[rng.randrange(len(reasons))], "recorded_by_id": recorder,
            "status": None,  # recorded as contact_record decides (below)
            "screening_due_on": ts.screening_due_on(received, GENERATED_STANDARD),
            "decided_at": None, "decided_by_id": None, "decision_notes": "",
            "created_at": received, "updated_at": decided_at or received,
        }  # fmt: skip
        contact["status"] = decide_contact_record(
            received_at=received, source=source, reason=contact["reason"], children=children
        )
        rate = self.conversion[source] * (cfg.KNOWN_FAMILY_CONVERSION_FACTOR if known else 1)
        refer = rng.random() < rate
        other = pick(rng, cfg.NOT_REFERRED)
        group_path: dict = {}
        referred_any = False
        decisions, open_cases = {}, {c.id for c in children if _open_on(c, day)}
        for child in children:
            decision = self._decide(child, day, refer, other) if decided else ""
            decisions[child.id] = decision
            cc_id = None
            if self.recording:
                self.ensure_written(child)
                cc_id = self.next_id("contact_child")
                add(ContactChild, {"id": cc_id, "contact_id": contact_id, "child_id": child.id,
                                   "decision": decision})  # fmt: skip
            if decision == "referral":
                referred_any = True
                self._refer(child, cc_id, source, decided_on, decided_at, group_path)
        if decided and self.recording:
            _screen(contact, decisions, open_cases, decided_at, decider)
        add(Contact, contact)
        if decided and not referred_any and rng.random() < cfg.RECONTACT_NOT_REFERRED:
            self._recontact_later(household, decided_on)
        return 1

    def _decide(self, child: ChildState, day: date, refer: bool, other: str) -> str:
        rng = self.rng
        if _open_on(child, day):
            return "existing_case"
        if child.plans and rng.random() < cfg.PREVIOUS_PLAN_CONVERSION:
            return "referral"
        if refer and rng.random() < 0.96:  # siblings are nearly always decided together
            return "referral"
        return other

    def _received_at(self, day: date) -> datetime:
        rng = self.rng
        if self.days.is_working(day):
            minute = rng.randint(8 * 60, 18 * 60)
        else:
            minute = rng.randint(0, 24 * 60 - 1)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LONDON)

    def _decision_day(self, day: date, received: datetime) -> date:
        rng = self.rng
        r = rng.random()
        if r < cfg.SCREENED_LATE:
            return self.days.add(day, rng.randint(2, 4))
        if self.days.is_working(day) and received.hour < 15 and r < cfg.SCREENED_SAME_DAY:
            return day
        return self.days.add(day, 1)

    def _decided_at(self, decided_on: date, received: datetime) -> datetime:
        earliest = 9 * 60
        if decided_on == received.date():
            earliest = received.hour * 60 + received.minute + 20
        minute = self.rng.randint(earliest, max(earliest, 17 * 60 + 30))
        return datetime.combine(decided_on, time(minute // 60, minute % 60), tzinfo=LONDON)

    # -- episodes ------------------------------------------------------------------------
    def _refer(self, child, cc_id, source, referred_on, decided_at, group_path) -> None:
        rng = self.case_rng
        previous_plan = child.plans > 0
        key = "plan" if previous_plan else "new"
        if key not in group_path or rng.random() > 0.85:
            group_path[key] = draw_path(rng, previous_plan)
        path = group_path[key]
        timeline = self.builder.build(rng, path, referred_on, child.born_on, child.age_on)
        status = decide_referral_open(
            referred_on=referred_on, source=source, episodes=_episodes(child, referred_on)
        )
        episode = Episode(self.next_id("referral"), child, cc_id, source, referred_on,
                          decided_at, timeline, status)  # fmt: skip
        child.open_since, child.open_until = referred_on, timeline.closed_on
        if timeline.plan is not None:
            child.plans += 1
        self.open[episode.id] = episode
        area = "front_door" if timeline.nfa else "assessment"
        self.schedule(referred_on, "allocate", (episode.id, area, "new"))
        for day, to_area in timeline.transfers:
            self.schedule(day, "transfer", (episode.id, to_area, "transfer"))
        self.schedule(timeline.closed_on, "close", episode.id)

    def _close(self, day: date, episode_id: int) -> None:
        episode = self.open.pop(episode_id, None)
        if episode is None:
            return
        episode.closed = True
        self.workforce.release(episode, day, "Case closed")
        if self.recording:
            self.ensure_written(episode.child)
            write_episode(self, episode)
        else:
            episode.child.legacy.append(episode)
        t = episode.timeline
        chance = cfg.RECONTACT_AFTER_PLAN if t.plan is not None else cfg.RECONTACT_AFTER_CLOSURE
        if self.rng.random() < chance:
            self._recontact_later(episode.child.household, day)

    def _recontact_later(self, household: HouseholdState, day: date) -> None:
        delay = int(self.rng.expovariate(1 / cfg.RECONTACT_MEAN_DAYS)) + 1
        self.schedule(day + timedelta(days=delay), "recontact", household)


def _skip(*args, **kwargs) -> None:
    """Contacts before the window are not kept (the window is the system's history)."""


def _open_on(child: ChildState, day: date) -> bool:
    """The child has an episode open on ``day``."""
    return child.open_until is not None and child.open_until >= day


def _episodes(child: ChildState, day: date) -> ChildEpisodes:
    """The child's episodes as referral_open reads them on ``day``: the open one, or the
    latest closure (its episodes follow one another, each closed before the next)."""
    if _open_on(child, day):
        return ChildEpisodes(open_since=child.open_since)
    return ChildEpisodes(last_closed=child.open_until)


def _screen(contact: dict, decisions: dict, open_cases: set, decided_at, decider) -> None:
    """Screened as contact_screen decides: a decision for every child, not before the
    contact came in, "existing case" only for a child with an open episode."""
    lines = [ContactChild(child=Child(id=c)) for c in decisions]
    contact["status"] = decide_screen(
        unsaved(Contact, contact), lines=lines, decisions=decisions, decided_at=decided_at,
        open_cases=open_cases,
    )  # fmt: skip
    contact.update(decided_at=decided_at, decided_by_id=decider)

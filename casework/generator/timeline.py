"""One CIN episode's timeline, drawn at the referral: every date the services would record,
on working days, in census order (domain.md sections 1-3). Nothing here touches the database;
``records.py`` turns a timeline into rows as they stand on the generator's end date.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from casework import rules
from casework import timescales as ts
from casework.codes import NO_FACTORS, ClosureReason, PrimaryNeed
from casework.generator import config as cfg


def pick(rng: random.Random, table):
    r = rng.random()
    for value, weight in table:
        r -= weight
        if r < 0:
            return value
    return table[-1][0]


class Days:
    """Working-day arithmetic on a ``casework.calendar.Calendar`` snapshot."""

    def __init__(self, calendar):
        self.cal = calendar
        self.add = calendar.add
        self.next = calendar.next_working_day_on_or_after
        self.is_working = calendar.is_working_day
        self.between = calendar.between

    def back(self, day: date, n: int) -> date:
        """The n-th working day before a working day ``day``."""
        return self.cal.working_dates[self.cal.ordinal(day) - 1 - n]


@dataclass
class Path:
    """The choices siblings on one referral usually share."""

    nfa: bool
    start_offset: int
    auth_wd: int
    returned: bool
    outcome: str
    s47: bool
    s47_outcome: str
    icpc_on_time: bool
    icpc_plan: bool
    plan_days: int
    step_down: bool
    cin_days: int
    closure: str
    closure_lag_wd: int
    step_down_days: int


def draw_path(rng: random.Random, previous_plan: bool) -> Path:
    lo_hi = pick(rng, cfg.AUTHORISATION_WD)
    return Path(
        nfa=rng.random() < cfg.REFERRAL_NFA,
        start_offset=pick(rng, [(0, 0.55), (1, 0.25), (2, 0.1), (3, 0.05), (5, 0.05)]),
        auth_wd=rng.randint(*lo_hi),
        returned=rng.random() < cfg.ASSESSMENT_RETURNED,
        outcome=pick(
            rng, cfg.ASSESSMENT_OUTCOMES_PREVIOUS_PLAN if previous_plan else cfg.ASSESSMENT_OUTCOMES
        ),
        s47=rng.random() < cfg.S47_REQUIRED,
        s47_outcome=pick(
            rng, cfg.S47_OUTCOMES_PREVIOUS_PLAN if previous_plan else cfg.S47_OUTCOMES
        ),
        icpc_on_time=rng.random() < cfg.ICPC_IN_15_WD,
        icpc_plan=rng.random() < cfg.ICPC_PLAN,
        plan_days=(
            0
            if rng.random() < cfg.PLAN_ENDS_AT_FIRST_REVIEW
            else int(cfg.PLAN_MEDIAN_DAYS * math.exp(rng.gauss(0, cfg.PLAN_SIGMA)))
        ),
        step_down=rng.random() < cfg.STEP_DOWN_TO_CIN_AFTER_PLAN,
        cin_days=max(
            cfg.CIN_MIN_DAYS, int(cfg.CIN_MEDIAN_DAYS * math.exp(rng.gauss(0, cfg.CIN_SIGMA)))
        ),
        closure=pick(rng, cfg.CIN_CLOSURE),
        closure_lag_wd=rng.randint(*pick(rng, cfg.CLOSURE_LAG_WD)),
        step_down_days=max(
            30,
            int(cfg.STEP_DOWN_CIN_MEDIAN_DAYS * math.exp(rng.gauss(0, cfg.STEP_DOWN_CIN_SIGMA))),
        ),
    )


@dataclass
class Assessment:
    started_on: date
    authorised_on: date
    completed_on: date
    submitted_on: date
    first_submitted_on: date | None = None
    returned_on: date | None = None
    child_seen_on: date | None = None
    seen_late: bool = False  # not seen as planned: seen by the first submission instead
    outcome: str = ""
    factors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    started_on: date
    ended_on: date | None
    initial_category: str
    latest_category: str
    reviews: list[tuple[date, date, str]]  # (due, held, outcome)
    core_groups: list[tuple[date, date]]  # (due, held)
    visits: list[tuple[date, bool, bool]]  # (date, seen, seen alone)
    category_changed_on: date | None = None


@dataclass
class Timeline:
    referred_on: date
    nfa: bool
    assessment: Assessment | None = None
    strategy_on: date | None = None
    s47_required: bool = False
    s47_ended_on: date | None = None
    s47_outcome: str = ""
    icpc_due_on: date | None = None
    icpc_on: date | None = None
    icpc_plan: bool = False
    plan: Plan | None = None
    cin_plan: tuple[date, date] | None = None
    visits: list[tuple[str, date, bool, bool]] = field(default_factory=list)  # CIN/assessment
    transfers: list[tuple[date, str]] = field(default_factory=list)
    primary_need: str = ""
    closed_on: date = date.min
    closure_reason: str = ""
    court_work: bool = False


CP_FACTORS = ["3B", "16A", "17A", "4B", "2B", "1B", "18C", "19C", "11A", "24A"]
CIN_FACTORS = ["3B", "4B", "2B", "1B", "5B", "6B", "7A", "10A", "14A", "15A", "4A", "13A", "20"]
CIN_NEEDS = [(PrimaryNeed.N1, 0.3), (PrimaryNeed.N2, 0.1), (PrimaryNeed.N3, 0.07),
             (PrimaryNeed.N4, 0.18), (PrimaryNeed.N5, 0.2), (PrimaryNeed.N6, 0.06),
             (PrimaryNeed.N7, 0.02), (PrimaryNeed.N8, 0.07)]  # fmt: skip


# Room left at the calendar's end for the working days added after an episode's end.
FAR_MARGIN_DAYS = 400


class TimelineBuilder:
    def __init__(self, days: Days, horizon: date):
        self.d = days
        self.horizon = horizon  # nothing is drawn past the end of the generated history

    def build(self, rng, path: Path, referred_on: date, born_on, age_on) -> Timeline:
        t = Timeline(referred_on=referred_on, nfa=path.nfa)
        if path.nfa:
            t.closed_on = self.d.add(referred_on, rng.choice([0, 0, 1, 2]))
            t.closure_reason = ClosureReason.RC7
            return t
        a = self._assessment(rng, path, referred_on, born_on)
        t.assessment = a
        ends = [a.authorised_on]
        outcome = path.outcome
        if outcome == "strategy_discussion":
            ends.append(self._protection(rng, path, t, a, born_on, age_on))
        elif outcome == "cin_plan":
            ends.append(self._cin(rng, path, t, a.authorised_on))
        elif outcome == "other":
            ends.append(self.d.add(a.authorised_on, rng.randint(20, 120)))
            t.closure_reason = ClosureReason.RC7
        else:
            t.closure_reason = rules.closure_reason_after_assessment(
                early_help=outcome == "early_help", activity=False
            )
            ends.append(self.d.add(a.authorised_on, path.closure_lag_wd))
        a.outcome = outcome
        t.primary_need = self._need(rng, t)
        a.factors = self._factors(rng, t)
        t.closed_on = max(ends)
        self._assessment_visits(rng, t, born_on, age_on)
        return t

    def _assessment(self, rng, path, r, born_on) -> Assessment:
        d = self.d
        start = d.add(r, path.start_offset)
        auth = max(d.add(r, path.auth_wd), d.add(start, 3))
        span = d.between(start, auth)
        if path.returned and span >= 8:
            first = d.add(start, rng.randint(3, span - 5))
            returned = d.add(first, rng.randint(1, 2))
            completed = min(d.add(returned, rng.randint(1, 3)), auth)
            a = Assessment(start, auth, completed, completed, first, returned)
        else:
            completed = max(start, d.back(auth, rng.randint(0, 4)))
            submitted = completed if rng.random() < 0.7 else min(auth, d.add(completed, 1))
            a = Assessment(start, auth, completed, submitted)
        last = a.first_submitted_on or completed
        seen = min(d.add(start, pick(rng, [(0, 0.3), (1, 0.25), (2, 0.2), (4, 0.15), (7, 0.1)])),
                   last)  # fmt: skip
        # A child not seen as planned (or unborn then) is seen by the first submission at the
        # latest: no assessment is authorised before the child is seen, the service's rule.
        planned = born_on is not None and born_on <= seen and rng.random() < cfg.CHILD_SEEN
        a.child_seen_on, a.seen_late = (seen, False) if planned else (last, True)
        rules.child_seen_before_authorising(a.child_seen_on, a.authorised_on)
        return a

    def _protection(self, rng, path, t: Timeline, a: Assessment, born_on, age_on) -> date:
        d = self.d
        sd = min(d.add(a.started_on, rng.randint(0, 8)), a.authorised_on)
        t.strategy_on, t.s47_required = sd, path.s47
        if not path.s47:
            if rng.random() < 0.5:
                return self._cin(rng, path, t, a.authorised_on)
            # A strategy discussion without an s47 is not census activity.
            t.closure_reason = rules.closure_reason_after_assessment(
                early_help=False, activity=False
            )
            return a.authorised_on
        t.icpc_due_on = d.add(sd, ts.ICPC_WORKING_DAYS)
        t.s47_outcome = path.s47_outcome
        if path.s47_outcome != "icpc":
            t.s47_ended_on = d.add(sd, rng.randint(5, 25))
            if path.s47_outcome == "cin_plan":
                return self._cin(rng, path, t, max(a.authorised_on, t.s47_ended_on))
            # The s47 is activity after the assessment: RC7, never RC8 (census rule 2990).
            t.closure_reason = rules.closure_reason_after_assessment(
                early_help=False, activity=True
            )
            return t.s47_ended_on
        on_time = ts.ICPC_WORKING_DAYS
        icpc = d.add(
            sd, rng.randint(6, on_time) if path.icpc_on_time else rng.randint(on_time + 1, 32)
        )
        t.icpc_on, t.icpc_plan = icpc, path.icpc_plan
        t.s47_ended_on = max(sd, d.back(icpc, rng.randint(1, 5)))
        if not path.icpc_plan:
            if rng.random() < 0.7:
                return self._cin(rng, path, t, max(icpc, a.authorised_on))
            t.closure_reason = ClosureReason.RC7
            return icpc
        t.transfers.append((icpc, "safeguarding"))
        t.court_work = rng.random() < cfg.COURT_WORK
        plan = self._plan(rng, path, icpc, born_on, age_on)
        t.plan = plan
        if plan.ended_on is None:
            return date.max
        if path.step_down:
            cin_end = self._cin(rng, path, t, d.add(plan.ended_on, 1), transfer=False,
                                days=path.step_down_days)  # fmt: skip
            return cin_end
        t.closure_reason = ClosureReason.RC7
        return plan.ended_on

    def _cin(self, rng, path, t: Timeline, start: date, transfer=True, days=None) -> date:
        d = self.d
        start = d.next(start)
        # The lognormal tail can draw an end decades out, past the working-day calendar
        # (seed 1 at medium: 2047): any end that far past the horizon is "still open".
        far = d.cal.end - timedelta(days=FAR_MARGIN_DAYS)
        end = d.next(min(start + timedelta(days=days or path.cin_days), far))
        t.cin_plan = (start, end)
        if transfer:
            t.transfers.append((start, "cin"))
        visit = d.add(start, rng.randint(3, 10))
        while visit <= end and visit <= self.horizon:
            t.visits.append(("cin", visit, rng.random() < cfg.CHILD_SEEN, rng.random() < 0.6))
            visit = d.add(visit, rng.randint(12, 25))
        t.closure_reason = path.closure
        return end

    def _plan(self, rng, path, icpc: date, born_on, age_on) -> Plan:
        d = self.d
        cat = pick(rng, cfg.CATEGORIES)
        plan = Plan(icpc, None, cat, cat, [], [], [])
        due = d.next(icpc + relativedelta(months=3))
        first = True
        while True:
            on_time = rng.random() < cfg.REVIEW_ON_TIME
            held = d.back(due, rng.randint(0, 5)) if on_time else d.add(due, rng.randint(1, 10))
            ends = (path.plan_days == 0 and first) or (held - icpc).days >= path.plan_days
            plan.reviews.append((due, held, "end_plan" if ends else "continue"))
            if held > self.horizon:
                break
            if rng.random() < cfg.CATEGORY_CHANGES and not ends:
                plan.latest_category = pick(rng, cfg.CATEGORIES)
                plan.category_changed_on = held
            if ends:
                plan.ended_on = held
                break
            due, first = d.next(held + relativedelta(months=6)), False
        stop = min(plan.ended_on or self.horizon, self.horizon)
        on_time = rng.random() < cfg.FIRST_CORE_GROUP_ON_TIME
        due = d.add(icpc, 10)
        held = d.add(icpc, rng.randint(4, 10) if on_time else rng.randint(11, 18))
        while held <= stop:
            plan.core_groups.append((due, held))
            due = d.add(held, 30)
            held = d.add(held, rng.randint(24, 34))
        visit = d.add(icpc, rng.randint(1, 5))
        while visit <= stop:
            born = born_on is not None and born_on <= visit
            seen = born and rng.random() < cfg.CHILD_SEEN
            alone = seen and (age_on(visit) or 0) >= 4 and rng.random() < cfg.SEEN_ALONE
            plan.visits.append((visit, seen, alone))
            gap = rng.randint(4, 10) if rng.random() < cfg.CP_VISIT_ON_TIME else rng.randint(11, 16)
            visit = d.add(visit, gap)
        return plan

    def _assessment_visits(self, rng, t: Timeline, born_on, age_on) -> None:
        a = t.assessment
        # Visits only for a child seen as planned, so a seed draws the same numbers as before.
        if not a.seen_late:
            alone = (age_on(a.child_seen_on) or 0) >= 4 and rng.random() < cfg.SEEN_ALONE
            t.visits.append(("assessment", a.child_seen_on, True, alone))
            if rng.random() < 0.5 and a.child_seen_on < a.completed_on:
                later = self.d.add(a.child_seen_on, rng.randint(1, 10))
                if later <= a.completed_on:
                    t.visits.append(("assessment", later, True, False))

    def _need(self, rng, t: Timeline) -> str:
        if t.plan is not None or t.s47_outcome == "icpc":
            return PrimaryNeed.N1 if rng.random() < 0.88 else pick(rng, CIN_NEEDS)
        if t.assessment.outcome in ("nfa", "early_help") and t.cin_plan is None:
            return PrimaryNeed.N9 if rng.random() < 0.5 else pick(rng, CIN_NEEDS)
        return pick(rng, CIN_NEEDS)

    def _factors(self, rng, t: Timeline) -> list[str]:
        # The services accept factor 21 only on its own and only with an NFA outcome, so an
        # early-help or strategy-discussion ending (RC9, s47 NFA) always names a factor.
        if t.assessment.outcome == "nfa" and rng.random() < 0.3:
            return [NO_FACTORS]
        pool = CP_FACTORS if t.strategy_on else CIN_FACTORS
        return sorted(rng.sample(pool, rng.choice([1, 1, 2, 2, 3])), key=_factor_key)


def _factor_key(code: str):
    digits = "".join(c for c in code if c.isdigit())
    return (int(digits), code)

"""Pre-submission checks: the DfE CIN census validation rules that apply to what Caseflow holds.

Each rule has the DfE rule number where it is known (e.g. 8610, 2885) and otherwise a Caseflow
id ``CF-...`` for a rule from domain.md section 2 that the DfE checks under a number not known
here, or that Caseflow enforces at entry. The rules read ``ChildRecord``s, so they run the same
on the data about to be exported and on a file about to be imported. ``blocks_import`` marks
the integrity rules the importer refuses a child for (domain.md section 2, "worth enforcing at
entry"); the rest are reported only.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from casework import calendar
from metrics.returns.records import CensusPeriod, ChildRecord, EpisodeRecord, weeks_before

FAR_FUTURE = date(9999, 12, 31)
# UN8 unborn, UN9 unaccompanied asylum seeker, UN10 secure unit: see casework.codes.
DFE_UPN_UNKNOWN = {f"UN{i}" for i in range(1, 11)}
UPN_RE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@dataclass(frozen=True)
class Rule:
    id: str
    message: str
    blocks_import: bool = False


@dataclass(frozen=True)
class Finding:
    la_child_id: str
    rule: Rule
    detail: str

    @property
    def rule_id(self) -> str:
        return self.rule.id


Check = Callable[[ChildRecord, CensusPeriod], Iterator[str]]
RULES: dict[str, Rule] = {}
_CHECKS: list[tuple[Rule, Check]] = []


def rule(rule_id: str, message: str, *, blocks_import: bool = False):
    def register(fn: Check) -> Check:
        r = Rule(rule_id, message, blocks_import)
        RULES[rule_id] = r
        _CHECKS.append((r, fn))
        return fn

    return register


def check_child(child: ChildRecord, period: CensusPeriod) -> list[Finding]:
    return [
        Finding(child.la_child_id, r, detail) for r, fn in _CHECKS for detail in fn(child, period)
    ]


def run_checks(children: Iterable[ChildRecord], period: CensusPeriod) -> list[Finding]:
    """Every finding for every child, plus the rules across children (duplicate UPNs)."""
    findings: list[Finding] = []
    upns: Counter[str] = Counter()
    owners: dict[str, list[str]] = {}
    for child in children:
        findings.extend(check_child(child, period))
        if child.upn:
            upns[child.upn] += 1
            owners.setdefault(child.upn, []).append(child.la_child_id)
    for upn, n in upns.items():
        if n > 1:
            for la_id in owners[upn]:
                findings.append(Finding(la_id, RULES["1520"], f"UPN {upn} is held by {n} children"))
    return findings


def _f(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "(none)"


def _ep(ep: EpisodeRecord) -> str:
    return f"Episode referred {_f(ep.referred_on)}"


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Ranges overlap by more than a shared boundary day (one may end the day the next starts)."""
    return a_start < (b_end or FAR_FUTURE) and b_start < (a_end or FAR_FUTURE)


def _working(day: date) -> bool:
    try:
        return calendar.is_working_day(day)
    except calendar.CalendarRangeError:
        return True


@functools.lru_cache(maxsize=8)
def _working_day_before(day: date) -> date:
    days = calendar.current().working_dates
    i = bisect.bisect_left(days, day)
    return days[i - 1] if i else day


def upn_check_letter(upn: str) -> str:
    """The DfE UPN check letter: characters 2-13 weighted 2..13, sum mod 23 (letters skip I,O,S)."""
    total = 0
    for weight, ch in enumerate(upn[1:13], start=2):
        value = int(ch) if ch.isdigit() else UPN_CHECK_LETTERS.index(ch)
        total += value * weight
    return UPN_CHECK_LETTERS[total % 23]


# -- the child --------------------------------------------------------------------------------


@rule(
    "8525",
    "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
    blocks_import=True,
)
def _dob_or_expected(child, period):
    if (child.date_of_birth is None) == (child.expected_date_of_birth is None):
        yield "Date of birth and expected date of birth: exactly one is needed"


@rule("CF-UNBORN", "An unborn child's sex must be recorded as not known (Sex U)")
def _unborn_sex(child, period):
    if child.is_unborn and child.sex != "U":
        yield f"Unborn child recorded as {child.sex}"
    if not child.is_unborn and child.sex == "U" and child.date_of_birth:
        yield "Born child recorded with sex not known"


@rule("CF-UPN", "UPN invalid: a letter, 11 digits, then a digit or letter (DfE 1510-1550)")
def _upn_format(child, period):
    if child.upn and not UPN_RE.match(child.upn):
        yield f"UPN {child.upn} is not in UPN format"


@rule("1510", "UPN invalid (wrong check letter at character 1)")
def _upn_check_letter(child, period):
    if child.upn and UPN_RE.match(child.upn) and upn_check_letter(child.upn) != child.upn[0]:
        yield f"UPN {child.upn}: check letter should be {upn_check_letter(child.upn)}"


@rule("1520", "More than one record with the same UPN")
def _upn_unique(child, period):  # across children: see run_checks
    return iter(())


@rule("CF-UPN-UNKNOWN", "UPN unknown reason must be one of the DfE codes UN1-UN10")
def _upn_unknown(child, period):
    if child.upn_unknown_reason and child.upn_unknown_reason not in DFE_UPN_UNKNOWN:
        yield f"UPN unknown reason {child.upn_unknown_reason} is not a census code"


@rule(
    "CF-UPN-MISSING",
    "A child aged 6 or over at the reference date with a referral that was "
    "not NFA needs a UPN or a UPN unknown reason",
)
def _upn_missing(child, period):
    dob = child.date_of_birth
    if child.upn or child.upn_unknown_reason or dob is None:
        return
    if dob <= period.end.replace(year=period.end.year - 6) and any(
        not e.nfa for e in child.episodes
    ):
        yield "No UPN and no UPN unknown reason"


@rule(
    "CF-DISABILITY",
    "A born child with a referral that was not NFA needs disability codes "
    "(NONE, or one or more conditions, never NONE with a condition)",
)
def _disability(child, period):
    if child.is_unborn or not any(not e.nfa for e in child.episodes):
        return
    if not child.disabilities:
        yield "No disability recorded"
    elif "NONE" in child.disabilities and len(child.disabilities) > 1:
        yield "NONE recorded together with a condition"


@rule("8606", "Child referral date is more than 40 weeks before DOB or expected DOB")
def _referral_before_birth(child, period):
    birth = child.date_of_birth or child.expected_date_of_birth
    for ep in child.episodes:
        if birth and ep.referred_on < weeks_before(birth, 40):
            yield f"{_ep(ep)}: more than 40 weeks before birth ({_f(birth)})"


# -- episodes ---------------------------------------------------------------------------------


@rule("8610", "Primary Need code is missing for a referral which led to further action")
def _primary_need(child, period):
    for ep in child.episodes:
        if not ep.nfa and not ep.primary_need:
            yield _ep(ep)


@rule(
    "8569",
    "A case with referral date before one working day prior to the collection start "
    "date must not be flagged as a no further action case",
)
def _old_nfa(child, period):
    prior = _working_day_before(period.start)
    for ep in child.episodes:
        if ep.nfa and ep.referred_on < prior:
            yield _ep(ep)


@rule("8620", "CIN Closure Date present and does not fall within the Census year")
def _closure_in_year(child, period):
    for ep in child.episodes:
        if ep.closed_on and ep.closed_on not in period:
            yield f"{_ep(ep)}: closed {_f(ep.closed_on)}"


@rule(
    "CF-CLOSURE",
    "A closure date needs a reason for closure and a reason needs a date",
    blocks_import=True,
)
def _closure_pair(child, period):
    for ep in child.episodes:
        if bool(ep.closed_on) != bool(ep.closure_reason):
            reason = ep.closure_reason or "(none)"
            yield f"{_ep(ep)}: closure date {_f(ep.closed_on)}, reason {reason}"


@rule("CF-CLOSURE-DATE", "CIN closure date cannot be before the referral date", blocks_import=True)
def _closure_after_referral(child, period):
    for ep in child.episodes:
        if ep.closed_on and ep.closed_on < ep.referred_on:
            yield f"{_ep(ep)}: closed {_f(ep.closed_on)}"


@rule(
    "8816",
    "An open CIN episode is shown and case is not a referral with no further action, "
    "but it is not the latest episode.",
)
def _open_not_latest(child, period):
    if not child.episodes:
        return
    latest = max(ep.referred_on for ep in child.episodes)
    for ep in child.episodes:
        if ep.closed_on is None and not ep.nfa and ep.referred_on != latest:
            yield _ep(ep)


@rule(
    "CF-EPISODES",
    "CIN episodes for a child must not overlap (one open episode at a time)",
    blocks_import=True,
)
def _episode_overlap(child, period):
    eps = sorted(child.episodes, key=lambda e: e.referred_on)
    for i, a in enumerate(eps):
        for b in eps[i + 1 :]:
            if _overlaps(a.referred_on, a.closed_on, b.referred_on, b.closed_on):
                yield f"{_ep(a)} overlaps episode referred {_f(b.referred_on)}"


@rule(
    "CF-AFTER-CLOSURE",
    "Nothing in an episode may be dated after its closure date",
    blocks_import=True,
)
def _after_closure(child, period):
    for ep in child.episodes:
        if ep.closed_on is None:
            continue
        late = [d for d in _episode_dates(ep) if d > ep.closed_on]
        if late:
            yield f"{_ep(ep)}: {_f(max(late))} is after closure {_f(ep.closed_on)}"


def _episode_dates(ep: EpisodeRecord) -> Iterator[date]:
    for a in ep.assessments:
        yield from filter(None, (a.started_on, a.authorised_on))
    for p in ep.cin_plans:
        yield from filter(None, (p.started_on, p.ended_on))
    for s in ep.s47s:
        yield from filter(None, (s.started_on, s.icpc_on))
    for p in ep.cp_plans:
        yield from filter(None, (p.started_on, p.ended_on, *p.reviews))
    if ep.icpc_on:
        yield ep.icpc_on


@rule("8867", "CIN episode is shown as closed, however Assessment is not shown as completed")
def _closed_unauthorised(child, period):
    for ep in child.episodes:
        if ep.closed_on and any(a.authorised_on is None for a in ep.assessments):
            yield _ep(ep)


@rule(
    "CF-S47-OPEN",
    "A closed episode must have every section 47 enquiry resolved (an ICPC "
    "date, or ICPC not required)",
)
def _closed_s47(child, period):
    for ep in child.episodes:
        for s in ep.s47s:
            if ep.closed_on and s.icpc_on is None and not s.icpc_not_required:
                yield f"{_ep(ep)}: s47 started {_f(s.started_on)}"


# The step rules register themselves into RULES on import.
from metrics.returns import checks_steps  # noqa: E402, F401

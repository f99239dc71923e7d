"""SSDA903 SWEpisodes: each looked-after child's social workers, from the allocation history.

The table exists from the 2023-24 return (the 2024 collection) on. The DfE asks it of
children looked after on 31 March (rules SW01, SW12, SW17: short breaks excluded), for the
whole collection year, including the months before the child became looked after: every
allocation of the child (on any child in need episode) that was open at some time in the
year, one row per social worker, dated as the allocation was.

- SW_ID is the worker's Social Work England number (``Worker.swe_registration``); a worker
  without one is sent as "XX" and their staff ID, which the validator accepts (SW02) and
  the council can see to fix.
- Allocations of the same worker that follow on within a week are one episode; a worker
  replaced on the day the allocation started, or within 3 days of it, is not returned (the
  later allocation holds the case, as with placements: rules SW18, SW19; SW09 refuses an
  episode of under 3 days).
- SW_REASON: the child's first episode, and any episode after a gap of more than a week,
  is first contact (FCONTA: SW10a, SW10b); otherwise the allocation's reason for change.
- The 2024 return (2023-24 rules, no gaps allowed) holds the last unbroken run of episodes
  to 31 March (``UNBROKEN``); from the 2025 return a first contact may follow a gap.
- A looked-after child's period of care names the social worker holding the child in care
  (``CarePeriod.worker``); when no allocation is open on 31 March, that worker holds the
  child from the start of the period or the end of the last allocation, whichever is later.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from care import codes
from care.models import CarePeriod
from casework.models import Allocation, AllocationReason
from metrics.returns.records import CensusPeriod as Year

FIRST_YEAR = 2024  # the 2023-24 return added the table
COLUMNS = ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"]
FIRST_CONTACT = "FCONTA"
# A new episode within this many days of the previous one's end continues it (SW10a).
FOLLOWS_ON = timedelta(days=7)
# The 2023-24 rules have no first-contact exemption: every episode must start within 7 days
# of the previous one's end (SW10) and within 5 days if that end was before 27 March
# (SW11a). The 2024-25 rules let a first contact (FCONTA) follow a gap (SW10). So the 2024
# return holds each child's last unbroken run of social workers to 31 March; an earlier run,
# before a gap of more than 5 days, is left out of it.
UNBROKEN = timedelta(days=5)
# An episode of under 3 days is refused (SW09: "lasted less than 24 hours", which the
# library's code measures as under 3 days): a worker who held the case that briefly is not
# returned, as one replaced on the day they were allocated is not.
SHORTEST = timedelta(days=3)
GAPS_ALLOWED_FROM = 2025
REASONS = {
    AllocationReason.NEW: FIRST_CONTACT,
    AllocationReason.TRANSFER: "TSPROC",  # transfer between teams or processes
    AllocationReason.WORKLOAD: "MANAGE",  # a management decision
    AllocationReason.WORKER_LEFT: "LEFTRL",  # the worker left the role
    AllocationReason.OTHER: "OTHERS",
}


@dataclass
class _Episode:
    worker: int
    sw_id: str
    started_on: date
    ended_on: date | None
    reason: str


def looked_after_at_end(episodes, y: Year) -> set[int]:
    """Children whose episode is open on 31 March (DEC blank in the return), short breaks
    excluded, as the SW rules count them."""
    return {
        e["child_id"]
        for e in episodes
        if (e["ended_on"] is None or e["ended_on"] > y.end)
        and e["legal_status"] not in codes.SHORT_BREAKS
    }


def rows(children: dict, episodes, y: Year, d) -> list[dict]:
    """The table's rows; ``d`` formats a date as the return does."""
    if y.year < FIRST_YEAR:
        return []
    ids = sorted(looked_after_at_end(episodes, y))
    allocations = (
        Allocation.objects.current()
        # Not an episode entered in error: its allocations were never the child's worker.
        .filter(child_id__in=ids, started_on__lte=y.end, referral__entered_in_error=False)
        .order_by("child_id", "started_on", "pk")
        .values_list("child_id", "worker_id", "worker__swe_registration",
                     "worker__staff_id", "started_on", "ended_on", "reason")
    )  # fmt: skip
    per_child = defaultdict(list)
    for child_id, *allocation in allocations:
        per_child[child_id].append(allocation)
    in_care = {
        child_id: rest
        for child_id, *rest in CarePeriod.objects.current()
        .filter(child_id__in=ids, started_on__lte=y.end, worker__isnull=False)
        .order_by("child_id", "started_on")
        .values_list("child_id", "started_on", "worker_id", "worker__swe_registration",
                     "worker__staff_id")
    }  # fmt: skip
    out = []
    for child_id in ids:
        child = children[child_id]
        episodes_ = _episodes(per_child[child_id])
        if child_id in in_care:
            _care_worker(episodes_, y.end, *in_care[child_id])
        if y.year < GAPS_ALLOWED_FROM:
            episodes_ = _last_unbroken_run(episodes_)
        for e in episodes_:
            if e.ended_on is not None and e.ended_on < y.start:
                continue  # before the year: last year's return had it
            out.append({
                "CHILD": child["la_child_id"], "DOB": d(child["date_of_birth"]),
                "SW_ID": e.sw_id, "SW_DECOM": d(e.started_on),
                # As at 31 March: an allocation that ended after the year is still open.
                "SW_DEC": d(e.ended_on) if e.ended_on and e.ended_on <= y.end else "",
                "SW_REASON": e.reason,
            })  # fmt: skip
    return out


def _episodes(allocations) -> list[_Episode]:
    """The child's whole allocation history as social worker episodes, oldest first."""
    out: list[_Episode] = []
    for worker, registration, staff_id, started, ended, reason in allocations:
        if ended is not None and ended - started < SHORTEST:
            continue  # ended within 3 days of starting: not an episode (SW09)
        last = out[-1] if out else None
        if last is not None and started - last.started_on < SHORTEST:
            out.pop()  # replaced within 3 days: the later allocation holds the case
            last = out[-1] if out else None
        if last is not None and last.worker == worker and _follows_on(last, started):
            last.ended_on = ended  # the same worker carries on (e.g. a new referral)
            continue
        if last is not None and (last.ended_on is None or last.ended_on > started):
            last.ended_on = started  # a newer allocation took over the child
        gap = last is None or started > last.ended_on + FOLLOWS_ON
        out.append(_Episode(
            worker=worker, sw_id=registration or f"XX{staff_id}", started_on=started,
            ended_on=ended, reason=FIRST_CONTACT if gap else _change_reason(reason),
        ))  # fmt: skip
    return out


def _care_worker(episodes: list[_Episode], year_end, started, worker, registration, staff_id):
    """The period of care's worker holds the child when no allocation is open on 31 March."""
    last = episodes[-1] if episodes else None
    if last is not None and (last.ended_on is None or last.ended_on > year_end):
        return
    if last is not None and last.worker == worker and _follows_on(last, started):
        last.ended_on = None
        return
    begins = started if last is None or last.ended_on < started else last.ended_on
    gap = last is None or begins > last.ended_on + FOLLOWS_ON
    episodes.append(_Episode(worker=worker, sw_id=registration or f"XX{staff_id}",
                             started_on=begins, ended_on=None,
                             reason=FIRST_CONTACT if gap else "OTHERS"))  # fmt: skip


def _last_unbroken_run(episodes: list[_Episode]) -> list[_Episode]:
    """The episodes after the last gap of more than ``UNBROKEN`` between two of them."""
    start = 0
    for i in range(1, len(episodes)):
        before = episodes[i - 1].ended_on
        if before is not None and episodes[i].started_on > before + UNBROKEN:
            start = i
    return episodes[start:]


def _follows_on(last: _Episode, started: date) -> bool:
    return last.ended_on is None or started <= last.ended_on + FOLLOWS_ON


def _change_reason(reason: str) -> str:
    # A new allocation straight after another (a new referral while still held) is a
    # change of worker for another reason, not a first contact (SW10b needs a gap).
    found = REASONS.get(reason, "OTHERS")
    return "OTHERS" if found == FIRST_CONTACT else found

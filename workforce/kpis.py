"""Workforce KPIs (issue 21), computed from posts, contracts, absences, supervision and
audits. Definitions: ../shared/workforce-earlyhelp-annexa.md A1 (DfE CSWW census).

Each compute function takes the requested periods and returns
``{period name: {(scope_type, scope_id): (numerator, denominator)}}`` for the
authority and each team. The establishment is small (thousands of contracts even for
the large authority), so it is read once and folded in Python per period end; case
supervision is one aggregate query per period end.

"In post at E": ``workforce.predicates.in_post`` (the contract's end date is the last
day worked, so it counts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q

from casework.models import Employment, WorkerRole
from casework.models.organisation import MANAGED_BY_TEAM_MANAGER, SOCIAL_WORK_ROLES
from metrics import periods as P
from metrics.kpis import stocks
from workforce.predicates import in_post

AUTHORITY, TEAM = "authority", "team"


@dataclass(frozen=True)
class Held:
    """One contract as the KPIs read it."""

    worker: int
    team: int
    post: int
    role: str
    started_on: date
    ended_on: date | None
    fte: Decimal
    agency: bool
    newly_qualified: bool
    leaver: bool

    def in_post(self, on: date) -> bool:
        return in_post(self.started_on, self.ended_on, on)


def _contracts() -> list[Held]:
    from workforce.models import Contract

    rows = Contract.objects.values_list(
        "worker_id", "post__team_id", "post_id", "post__role", "started_on", "ended_on", "fte",
        "employment", "newly_qualified", "leaving_reason",
    )  # fmt: skip
    return [
        Held(w, t, p, r, s, e, f, emp == Employment.AGENCY, nq, bool(reason))
        for w, t, p, r, s, e, f, emp, nq, reason in rows
    ]


def _add(out: dict, team: int | None, num, den) -> None:
    for scope in ((AUTHORITY, None), (TEAM, team)):
        if scope[1] is None and scope[0] == TEAM:
            continue
        cell = out.setdefault(scope, [Decimal(0), Decimal(0)])
        cell[0] += num
        cell[1] += den


def _per_end(periods: list[P.Period], fold) -> dict:
    """Fold once per distinct period end; every scope gets a row, the authority always."""
    by_end = {}
    for end in sorted({p.end for p in periods}):
        out: dict = {(AUTHORITY, None): [Decimal(0), Decimal(0)]}
        fold(end, out)
        by_end[end] = {k: tuple(v) for k, v in out.items()}
    return {p.name: by_end[p.end] for p in periods}


def _social_workers(held: list[Held], on: date) -> list[Held]:
    return [h for h in held if h.role in SOCIAL_WORK_ROLES and h.in_post(on)]


def agency_rate(periods: list[P.Period]) -> dict:
    """Agency FTE / (agency FTE + authority-employed FTE), social workers at the period end."""
    held = _contracts()

    def fold(end, out):
        for h in _social_workers(held, end):
            _add(out, h.team, h.fte if h.agency else 0, h.fte)

    return _per_end(periods, fold)


def vacancy_rate(periods: list[P.Period]) -> dict:
    """Vacant FTE / (vacant FTE + authority-employed FTE). A post's vacancy is its budget
    less its authority-employed FTE, floored at 0: agency cover does not fill it."""
    from workforce.models import Post

    held = _contracts()
    posts = list(
        Post.objects.filter(role__in=SOCIAL_WORK_ROLES).values_list(
            "pk", "team_id", "budgeted_fte", "valid_from", "valid_to"
        )
    )

    def fold(end, out):
        employed = defaultdict(Decimal)
        for h in _social_workers(held, end):
            if not h.agency:
                employed[h.post] += h.fte
                _add(out, h.team, 0, h.fte)
        for pk, team, budget, start, stop in posts:
            if in_post(start, stop, end):  # a post's valid_to is inclusive, like a contract's
                vacant = max(budget - employed[pk], Decimal(0))
                _add(out, team, vacant, vacant)

    return _per_end(periods, fold)


def turnover_rate_12m(periods: list[P.Period]) -> dict:
    """Authority-employed social work leavers' FTE in the 12 months to the period end /
    authority-employed social work FTE in post at the period end (CSWW turnover)."""
    held = [h for h in _contracts() if not h.agency and h.role in SOCIAL_WORK_ROLES]

    def fold(end, out):
        since = P.add_months(end, -12)
        for h in held:
            if h.in_post(end):
                _add(out, h.team, 0, h.fte)
            if h.leaver and since < h.ended_on <= end:
                _add(out, h.team, h.fte, 0)

    return _per_end(periods, fold)


def newly_qualified_share(periods: list[P.Period]) -> dict:
    """Social workers in their ASYE / social workers in post (head count) at the period end."""
    held = _contracts()

    def fold(end, out):
        for h in _social_workers(held, end):
            _add(out, h.team, int(h.newly_qualified), 1)

    return _per_end(periods, fold)


def span_of_control(periods: list[P.Period]) -> dict:
    """Staff line-managed by team managers / team managers in post, teams with a manager."""
    held = _contracts()

    def fold(end, out):
        staff, managers = defaultdict(set), defaultdict(set)
        for h in held:
            if h.in_post(end) and h.role == WorkerRole.TEAM_MANAGER:
                managers[h.team].add(h.worker)
            elif h.in_post(end) and h.role in MANAGED_BY_TEAM_MANAGER:
                staff[h.team].add(h.worker)
        for team, heads in managers.items():
            _add(out, team, len(staff[team]), len(heads))

    return _per_end(periods, fold)


def absence_rate(periods: list[P.Period]) -> dict:
    """Sickness days lost starting in the period / (authority-employed social work FTE at
    the period end x working days in the period). CSWW counts sickness (SIC) only."""
    from casework import calendar
    from workforce.codes import AbsenceKind
    from workforce.models import Absence

    held = [h for h in _contracts() if not h.agency and h.role in SOCIAL_WORK_ROLES]
    team_of = {h.worker: h.team for h in sorted(held, key=lambda h: h.started_on)}
    sick = Absence.objects.filter(kind=AbsenceKind.SICKNESS, worker__in=list(team_of))
    lost = _by_month((team_of[w], on, days, 0) for w, on, days in
                     sick.values_list("worker_id", "started_on", "days_lost"))  # fmt: skip
    result = {}
    for period in periods:
        days = calendar.working_days_between(period.start - timedelta(days=1), period.end)
        out = _sum_months(lost, period)
        for h in held:
            if h.in_post(period.end):
                _add(out, h.team, 0, h.fte * days)
        result[period.name] = {k: tuple(v) for k, v in out.items()}
    return result


def _by_month(rows) -> dict:
    """(team, date, num, den) rows -> {first of month: [(team, num, den), ...]}."""
    months = defaultdict(list)
    for team, on, num, den in rows:
        months[on.replace(day=1)].append((team, num, den))
    return months


def _sum_months(months: dict, period: P.Period) -> dict:
    out: dict = {(AUTHORITY, None): [Decimal(0), Decimal(0)]}
    for month in period.months():
        for team, num, den in months.get(month, ()):
            _add(out, team, num, den)
    return out


def workers_over_caseload_threshold(periods: list[P.Period]) -> dict:
    """Case-holding workers in post holding more children than the authority's threshold,
    counted as the caseload KPIs count children held (``metrics.kpis.stocks``)."""
    from casework.selectors.caseload import current_authority

    threshold = current_authority().caseload_threshold
    ends = sorted({p.end for p in periods})
    held = defaultdict(dict)
    for row in stocks.children_held_at(ends):
        held[row["at"]][row["scope_worker"]] = row["num"]
    posts = defaultdict(list)
    for row in stocks.case_holders_at(ends):
        posts[row["at"]].append((row["scope_worker"], row["scope_team"]))

    def fold(end, out):
        for worker, team in posts[end]:
            _add(out, team, int(held[end].get(worker, 0) > threshold), 1)

    return _per_end(periods, fold)


def supervision_in_time(periods: list[P.Period]) -> dict:
    """Children allocated at the period end whose latest case supervision is within the
    authority's standard (days) before it, or allocated more recently than that / all
    children allocated at the period end (A3 compliance)."""
    from casework.models import Allocation
    from casework.predicates import allocation_open_on
    from workforce.models import CaseSupervision
    from workforce.services.supervision import standard

    days = standard().case_supervision_days
    # Before the authority recorded any case supervision the measure means nothing (and
    # one query per month of a decade's history would dominate the nightly job).
    first = CaseSupervision.objects.order_by("held_on").values_list("held_on", flat=True).first()

    def fold(end, out):
        if first is None or end < first:
            return
        since = end - timedelta(days=days)
        supervised = CaseSupervision.objects.filter(
            child=OuterRef("child"), held_on__gt=since, held_on__lte=end
        )
        rows = (
            Allocation.objects.current()
            .filter(allocation_open_on(end))
            .annotate(
                ok=ExpressionWrapper(
                    Exists(supervised) | Q(started_on__gt=since), output_field=BooleanField()
                )
            )  # fmt: skip
            .values("worker__team_id", "ok")
            .annotate(n=Count("child_id", distinct=True))
        )
        for row in rows:
            _add(out, row["worker__team_id"], row["n"] if row["ok"] else 0, row["n"])

    return _per_end(periods, fold)


def audits_good_or_better(periods: list[P.Period]) -> dict:
    """Audits completed in the period graded good or outstanding (the moderated grade
    where moderated) / audits completed in the period."""
    from workforce.codes import GOOD_OR_BETTER
    from workforce.models import CaseAudit

    audits = CaseAudit.objects.filter(audited_on__isnull=False).values_list(
        "team_id", "audited_on", "grade", "moderated_grade"
    )
    months = _by_month(
        (team, on, int((moderated or grade) in GOOD_OR_BETTER), 1)
        for team, on, grade, moderated in audits
    )
    result = {}
    for period in periods:
        out = _sum_months(months, period)
        result[period.name] = {k: tuple(v) for k, v in out.items()}
    return result

"""A hand-built year for the quarterly report: known referrals by source, plans by
category and section 47 outcomes across FY2024-25's quarters, in one or more teams."""

from __future__ import annotations

from datetime import date

from casework.models import ChildProtectionPlan
from metrics import periods as P
from metrics import report, services
from tests.metrics import builders as b
from tests.metrics.conftest import TODAY

YEAR = P.parse("FY2024-25")

# (referred on, census source, ended NFA): two in Q1, one in each later quarter.
REFERRALS = [
    (date(2024, 5, 10), "6", True),
    (date(2024, 6, 3), "2A", False),
    (date(2024, 8, 5), "6", False),
    (date(2024, 11, 4), "3A", True),
    (date(2025, 2, 3), "6", False),
]
# (plan start, initial category): plans on the non-NFA referrals above.
PLANS = [(date(2024, 6, 10), "PHY"), (date(2024, 8, 12), "NEG"), (date(2025, 2, 10), "NEG")]


def report_periods() -> list[P.Period]:
    return [*report.columns(YEAR), P.quarter(2023, 4)]


def build_year(teams: int = 1) -> dict:
    """The year's records for each of ``teams`` teams, plus records entered in error;
    then the KPI snapshots of every column of the report."""
    b.authority(population={2023: 50_000, 2024: 50_000})
    made = {"teams": [], "plans": []}
    for _ in range(teams):
        team = b.team()
        worker = b.worker(team)
        made["teams"].append(team)
        refs = {}
        for on, source, nfa in REFERRALS:
            ref = b.referral(b.child(), on, source=source, nfa=nfa)
            b.allocate(ref, worker, on)
            refs[on] = ref
        with_plan = [r for on, r in sorted(refs.items()) if not r.nfa]
        for ref, (on, category) in zip(with_plan, PLANS, strict=False):
            enquiry = b.s47(ref, on, ended_on=on, outcome="icpc")
            plan = b.plan(b.icpc(enquiry, on))
            ChildProtectionPlan.objects.filter(pk=plan.pk).update(initial_category=category)
            made["plans"].append(plan)
        # An enquiry that did not lead to a conference (the last non-NFA referral).
        b.s47(with_plan[-1], date(2025, 3, 3), ended_on=date(2025, 3, 10), outcome="nfa")
        # Entered in error: dropped from every figure and breakdown.
        wrong = b.referral(b.child(), date(2024, 7, 1), source="9", nfa=True)
        b.allocate(wrong, worker, date(2024, 7, 1))
        b.in_error(wrong)
        wrong_plan = b.cp_plan(b.child(), date(2024, 9, 2))
        b.in_error(wrong_plan)
        b.in_error(wrong_plan.referral)
    services.kpi_snapshots_compute(periods=report_periods(), today=TODAY)
    return made

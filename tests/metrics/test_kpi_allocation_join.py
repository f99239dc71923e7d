"""The flow KPIs' set-based attribution (events joined once to the allocations' date
ranges) gives exactly the per-event lookup's rows (``allocation_at``, which the
drill-downs still use)."""

import dataclasses
from datetime import date

import pytest

from metrics.kpis.sql import allocation_at
from metrics.registry import FLOW, KPIS
from tests.metrics import builders as b

pytestmark = pytest.mark.django_db

AUG = (date(2024, 8, 1), date(2024, 9, 30))


def _by_lookup(flow):
    """The same flow's rows attributed by the per-event subquery (``rows``' ORM path)."""
    team = allocation_at("team_id", referral=flow.episode, on=flow.on)
    worker = allocation_at("worker_id", referral=flow.episode, on=flow.on)
    return dataclasses.replace(flow, team=team, worker=worker).rows(scoped=True)


def _rows(rows) -> list[tuple]:
    keys = ("scope_team", "scope_worker", "num", "den")
    return sorted((str(r["month"])[:10], *(int(r[k] or 0) for k in keys)) for r in rows)


def _episodes():
    b.authority(population={2024: 50_000})
    team = b.team()
    w1, w2, w3 = b.worker(team), b.worker(team), b.worker(b.team())
    # Referred before its first allocation, then reallocated mid-month (back-dated).
    moved = b.referral(b.child(), date(2024, 8, 1), nfa=True)
    b.allocate(moved, w1, date(2024, 8, 5), ended_on=date(2024, 8, 20))
    b.allocate(moved, w2, date(2024, 8, 20))
    b.assessment(moved, date(2024, 8, 6), authorised_on=date(2024, 8, 12), outcome="nfa")
    b.assessment(moved, date(2024, 8, 21), authorised_on=date(2024, 8, 28), worker=w3)
    b.s47(moved, date(2024, 8, 22), ended_on=date(2024, 8, 29), outcome="icpc")
    # Two allocations starting the same day: the later one counts.
    tied = b.referral(b.child(), date(2024, 8, 7))
    b.allocate(tied, w1, date(2024, 8, 7), ended_on=date(2024, 8, 7))
    b.allocate(tied, w3, date(2024, 8, 7))
    b.assessment(tied, date(2024, 8, 8), authorised_on=date(2024, 9, 2))
    # The only allocation entered in error: no scope, like an unallocated episode.
    wrong = b.referral(b.child(), date(2024, 8, 9))
    b.in_error(b.allocate(wrong, w2, date(2024, 8, 9)))
    b.assessment(wrong, date(2024, 8, 10), authorised_on=date(2024, 8, 30))
    b.referral(b.child(), date(2024, 9, 3))
    plan = b.cp_plan(b.child(), date(2024, 8, 14))
    b.allocate(plan.referral, w2, date(2024, 8, 16))
    b.visit(plan, date(2024, 8, 26))


def test_each_scoped_flow_attributes_events_as_the_per_event_lookup_does():
    _episodes()
    compared = 0
    for definition in KPIS:
        if definition.kind != FLOW or len(definition.scopes) == 1:
            continue
        flow = definition.compute(*AUG)
        if flow.team is not None or flow.worker is not None or not flow.scopable:
            continue  # attributed by its own columns (children in care), not by allocation
        assert _rows(flow.rows(scoped=True)) == _rows(_by_lookup(flow)), definition.code
        compared += 1
    assert compared >= 15

"""Reads for the quarterly report's breakdown tables (seed 000's quarterly examples).

Each is one GROUP BY query over the same rows the KPI engine counts (its flow
querysets, so records entered in error drop out exactly as they do from the KPIs), or a
read of the stored snapshots.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count

from casework.codes import AbuseCategory, ReferralSource
from casework.models import Team
from metrics import periods as P
from metrics.kpis import flows
from metrics.models import KpiSnapshot, ScopeType

HUNDRED = Decimal(100)
ONE_DP = Decimal("0.1")


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (HUNDRED * Decimal(part) / Decimal(whole)).quantize(ONE_DP)


def by_source(flow: flows.Flow, field: str) -> list[dict]:
    """Every census source code: rows of ``flow`` (``count``), share of all rows, and how
    many are in its numerator (``num``, ``num_percent``). One GROUP BY query."""
    counts = {
        row[field]: row
        for row in flow.qs.values(field)
        .annotate(count=Count("pk"), num=Count("pk", filter=flow.num))
        .order_by()
    }
    total = sum(row["count"] for row in counts.values())
    rows = []
    for code, label in ReferralSource.choices:
        found = counts.get(code, {"count": 0, "num": 0})
        rows.append({"code": code, "label": label, "count": found["count"],
                     "share": percent(found["count"], total), "num": found["num"],
                     "num_percent": percent(found["num"], found["count"])})  # fmt: skip
    return rows


def referrals_by_source(start: date, end: date) -> list[dict]:
    """Every census source code: referrals, share of all referrals, and how many ended NFA.

    The rows are those of the ``referrals_nfa`` KPI, so the total row equals its
    denominator and the NFA total its numerator.
    """
    return [
        {**row, "referrals": row["count"], "nfa": row["num"], "nfa_percent": row["num_percent"]}
        for row in by_source(flows.referrals_nfa(start, end), "source")
    ]


def plans_by_initial_category(start: date, end: date) -> list[dict]:
    """Plans started in the period by initial category of abuse (NEG, PHY, SAB, EMO, MUL).

    The rows are the denominator of the repeat-plan KPIs: plans started in the period.
    """
    counts = dict(
        flows.cp_repeat_plans(start, end)
        .qs.values("initial_category")
        .annotate(plans=Count("pk"))
        .order_by()
        .values_list("initial_category", "plans")
    )
    total = sum(counts.values())
    return [
        {"code": code, "label": label, "plans": counts.get(code, 0),
         "share": percent(counts.get(code, 0), total)}
        for code, label in AbuseCategory.choices
    ]  # fmt: skip


def s47_to_icpc_by_team(period: P.Period) -> list[dict]:
    """Section 47 enquiries ending in the period and how many went to an initial
    conference, per team and for the authority, from the ``s47_to_icpc`` snapshots."""
    snaps = KpiSnapshot.objects.filter(kpi="s47_to_icpc", period=period.name).exclude(
        scope_type=ScopeType.WORKER
    )
    snaps = list(snaps.order_by("scope_type", "scope_id"))
    names = dict(
        Team.objects.filter(pk__in=[s.scope_id for s in snaps if s.scope_id]).values_list(
            "pk", "name"
        )
    )
    teams = sorted(
        (s for s in snaps if s.scope_type == ScopeType.TEAM),
        key=lambda s: names.get(s.scope_id, ""),
    )
    authority = [s for s in snaps if s.scope_type == ScopeType.AUTHORITY]
    return [
        {"scope": names.get(s.scope_id, f"Team {s.scope_id}") if s.scope_id else "Authority",
         "s47": s.denominator, "icpc": s.numerator, "percent": percent(s.numerator, s.denominator)}
        for s in teams + authority
    ]  # fmt: skip

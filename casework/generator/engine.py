"""Entry point: build a whole synthetic authority into an empty database."""

from __future__ import annotations

import resource
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max

from casework import calendar, rules
from casework import models as cw
from casework.generator import hooks
from casework.generator.config import SCALES
from casework.generator.simulation import Simulation
from casework.generator.writers import Writer
from casework.scope import restamp_scope, stamps
from referrals import models as rf

ALREADY_LOADED = (
    "This database already has an authority ({name}). generate_authority only fills an "
    "empty database: use a fresh one (or flush this one) and run it again."
)
# A real DfE LA code (850, Hampshire's), so UPNs built on it pass census rule 1530: 999 is
# not a code. A council's own installation takes its code from setup_authority.
LA_CODE = "850"
# Years simulated before the window so it opens mid-flow (open cases, known families).
# Short windows need more of it for re-referrals and repeat plans to look like a live LA.
WARMUP_YEARS = {1: 3, 2: 3, 3: 3}
DEFAULT_WARMUP_YEARS = 2
LA_NAME = "Caseflow Demo Borough"

MODELS_IN_ORDER = [
    cw.Authority, cw.ChildPopulation, cw.Team, cw.Worker, cw.Household, cw.Child,
    rf.Contact, rf.ContactChild, rf.Referral, cw.Allocation, cw.Assessment,
    cw.StrategyDiscussion, cw.Section47Enquiry, cw.ChildProtectionConference,
    cw.ChildProtectionPlan, cw.CoreGroup, cw.CINPlan, cw.Visit,
]  # fmt: skip
ID_NAMES = {
    "team": cw.Team, "worker": cw.Worker, "household": cw.Household, "child": cw.Child,
    "contact": rf.Contact, "contact_child": rf.ContactChild, "referral": rf.Referral,
    "allocation": cw.Allocation, "assessment": cw.Assessment,
    "strategy": cw.StrategyDiscussion, "s47": cw.Section47Enquiry,
    "conference": cw.ChildProtectionConference, "plan": cw.ChildProtectionPlan,
    "coregroup": cw.CoreGroup, "cinplan": cw.CINPlan, "visit": cw.Visit,
}  # fmt: skip


class AlreadyLoaded(Exception):
    pass


def generate(*, scale: str, seed: int, end_date: date, years: int | None = None,
             contacts_per_year: int | None = None) -> dict:  # fmt: skip
    """Generate the authority; returns row counts, elapsed seconds and peak RSS."""
    began = time.monotonic()
    existing = cw.Authority.objects.first()
    if existing is not None:
        raise AlreadyLoaded(ALREADY_LOADED.format(name=existing))
    spec = SCALES[scale]
    if years:
        spec = replace(spec, years=years)
    if contacts_per_year:
        spec = replace(spec, contacts_per_year=contacts_per_year)
    start = _years_before(end_date, spec.years) + timedelta(days=1)
    with transaction.atomic(), rules.generated_as_of(end_date):
        writer = Writer(MODELS_IN_ORDER)
        writer.drop_constraints_and_indexes()
        authority = _authority(writer, spec, start, end_date)
        sim = Simulation(
            scale=spec, seed=seed, start=start, end=end_date,
            contacts_per_year=spec.contacts_per_year, writer=writer, ids=_next_ids(),
            calendar=calendar.current(), la_code=LA_CODE,
            visit_standard=authority["cp_visit_standard_working_days"],
            warmup_years=WARMUP_YEARS.get(spec.years, DEFAULT_WARMUP_YEARS),
        )  # fmt: skip
        for team in sim.workforce.team_rows:
            writer.add(cw.Team, team, history_date=_stamp(sim.start))
        sim.run()
        writer.finish()
        rows = writer.counts()
        for step in hooks.AFTER_GENERATE:
            # Added up: a step may write more rows to a casework table (step-up contacts).
            for table, count in step(start=start, end=end_date, seed=seed).items():
                rows[table] = rows.get(table, 0) + count
        # Rows were written around the services (COPY, the steps' updates): stamp every
        # event's scope once, set-based, after the last of them.
        stamping = time.monotonic()
        restamp_scope()
        scope_s = time.monotonic() - stamping
        cw.GeneratedHistory.objects.create(scale=scale, seed=seed, started_on=start,
                                           through=end_date)  # fmt: skip
        committing = time.monotonic()
    timings = {k: round(v, 1) for k, v in writer.timings.items()}
    timings["commit_s"] = round(time.monotonic() - committing, 1)
    timings["scope_s"] = round(scope_s, 1)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Stamping rewrote every event row once: compact those tables, or the KPIs and
        # pages would read twice their pages (VACUUM cannot run inside a transaction,
        # as in the tests; there the tables are tiny).
        compacting = time.monotonic()
        with connection.cursor() as cursor:
            for table in sorted({stamp.table for stamp in stamps()}):
                cursor.execute(f"VACUUM FULL {table}")
        timings["scope_vacuum_s"] = round(time.monotonic() - compacting, 1)
    if connection.vendor == "postgresql":
        analyzing = time.monotonic()
        with connection.cursor() as cursor:
            # Planner statistics for the tables pages and KPIs read (not the histories).
            for table in writer.tables.values():
                cursor.execute(f"ANALYZE {table.table}")
        timings["analyze_s"] = round(time.monotonic() - analyzing, 1)
    return {
        "scale": scale,
        "seed": seed,
        "years": spec.years,
        "start": start.isoformat(),
        "end": end_date.isoformat(),
        "elapsed_s": round(time.monotonic() - began, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "timings": timings,
        "rows": rows,
    }


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _stamp(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=9), tzinfo=UTC)


def _authority(writer: Writer, spec, start: date, end: date) -> dict:
    row = {"id": 1 + (cw.Authority.objects.aggregate(m=Max("id"))["m"] or 0),
           "la_code": LA_CODE, "name": LA_NAME}  # fmt: skip
    row.update({f.attname: f.get_default() for f in cw.Authority._meta.concrete_fields
                if f.attname not in row})  # fmt: skip
    writer.add(cw.Authority, row, history_date=_stamp(start))
    first = start.year if start.month >= 4 else start.year - 1
    last = end.year if end.month >= 4 else end.year - 1
    next_id = 1 + (cw.ChildPopulation.objects.aggregate(m=Max("id"))["m"] or 0)
    for i, year in enumerate(range(first, last + 1)):
        # A slowly growing child population, as most English authorities have seen.
        population = round(spec.population * (1 + 0.004 * (year - last)))
        writer.add(
            cw.ChildPopulation,
            {"id": next_id + i, "authority_id": row["id"], "year": year, "population": population},
        )
    return row


def _next_ids() -> dict[str, int]:
    return {name: 1 + (model.objects.aggregate(m=Max("pk"))["m"] or 0)
            for name, model in ID_NAMES.items()}  # fmt: skip

"""Health assessments and checks, and personal education plans: each moves the period's
next due date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from care import codes, errors, timescales
from care.models import CarePeriod, EducationPlan, HealthCheck
from care.services.checks import checked_code, within_period
from care.services.periods import looked_after
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, actor, save
from casework.services.permissions import require


@transaction.atomic
def health_check_record(
    *, period: CarePeriod, by, kind: str, done_on: date, expected_version: ExpectedVersion = None
) -> HealthCheck:
    """Initial or review health assessment (moves the next due), dental check, immunisations."""
    require(by, "health_check_record")
    period = looked_after(period, expected_version=expected_version)
    within_period(period, done_on, field="done_on")
    checked_code(kind, codes.HealthCheckKind, label="kind of check", field="kind")
    checks = period.health_checks.current()
    due = None
    if kind == codes.HealthCheckKind.INITIAL:
        done = checks.filter(kind=kind).first()
        if done is not None:
            raise DomainError(errors.INITIAL_HEALTH_DONE.format(done_on=done.done_on), "kind")
        due = timescales.initial_health_due_on(period.started_on)
    elif kind == codes.HealthCheckKind.REVIEW:
        due = period.next_health_due_on
    check = HealthCheck(
        child_id=period.child_id, period=period, kind=kind, due_on=due, done_on=done_on
    )
    save(check, by=by, why=f"{check.get_kind_display()} recorded by {actor(by)}")
    if kind in (codes.HealthCheckKind.INITIAL, codes.HealthCheckKind.REVIEW):
        latest = checks.filter(kind__in=["initial", "review"]).aggregate(d=Max("done_on"))["d"]
        period.next_health_due_on = timescales.review_health_due_on(
            latest, age=period.child.age_on(latest)
        )
        save(period, by=by, why=f"Next health assessment due {period.next_health_due_on}")
    return check


@transaction.atomic
def pep_record(
    *, period: CarePeriod, by, held_on: date, expected_version: ExpectedVersion = None
) -> EducationPlan:
    """A personal education plan started or reviewed; the next review is due termly."""
    require(by, "pep_record")
    period = looked_after(period, expected_version=expected_version)
    within_period(period, held_on, field="held_on")
    pep = EducationPlan(
        child_id=period.child_id,
        period=period,
        due_on=period.next_pep_due_on or held_on,
        held_on=held_on,
    )
    save(pep, by=by, why=f"Personal education plan recorded by {actor(by)}")
    latest = period.peps.current().aggregate(d=Max("held_on"))["d"]
    period.next_pep_due_on = timescales.next_pep_due_on(latest)
    save(period, by=by, why=f"Next PEP due {period.next_pep_due_on:%d/%m/%Y}")
    return pep

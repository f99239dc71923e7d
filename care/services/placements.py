"""Placements: the SSDA903 rules for one placement, the rows that start and end them, and
the statutory visit due date that follows the current one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from care import codes, errors, timescales
from care.models import CarePeriod, Placement
from care.services.checks import checked_code
from casework.errors import DomainError
from casework.services.common import actor, lock, save


@dataclass(frozen=True)
class PlacementDetails:
    place: str
    provider: str = ""
    postcode: str = ""
    urn: str = ""
    carer: str = ""
    long_term: bool = False


def validate_placement(details: PlacementDetails) -> None:
    """The SSDA903 field rules for one placement (types, provider, URN)."""
    checked_code(details.place, codes.PlacementType, label="placement type", field="place")
    provider = details.provider
    if details.place in codes.NO_PROVIDER_PLACEMENTS:
        if provider:
            raise DomainError(errors.PROVIDER_NOT_ALLOWED, field="provider")
    elif details.place != codes.PlacementType.T4 and not provider:
        raise DomainError(errors.PROVIDER_REQUIRED, field="provider")
    if provider:
        checked_code(provider, codes.PlacementProvider, label="placement provider",
                     field="provider")  # fmt: skip
        if (provider == codes.PlacementProvider.PR0) != (details.place == codes.PlacementType.P1):
            raise DomainError(errors.PROVIDER_PARENT_ONLY_P1, field="provider")
    if details.place not in codes.NO_URN_PLACEMENTS and not details.urn.strip():
        raise DomainError(errors.URN_REQUIRED, field="urn")


def new_placement(period: CarePeriod, details: PlacementDetails, on: date, *, by) -> Placement:
    placement = Placement(
        child_id=period.child_id,
        period=period,
        place=details.place,
        provider=details.provider,
        postcode=details.postcode.strip().upper(),
        urn=details.urn.strip().upper(),
        carer=details.carer.strip(),
        long_term=details.long_term,
        started_on=on,
    )
    return save(placement, by=by, why=f"Placement recorded by {actor(by)}")


def end_placement(placement: Placement, on: date, reason: str, *, by, superseded=False):
    """End a placement; ``superseded``: replaced the same day, so not counted in the return."""
    placement = lock(placement)
    placement.ended_on, placement.reason_change = on, reason
    placement.superseded = superseded
    return save(placement, by=by, why=f"Placement ended by {actor(by)}")


def placement_on(period: CarePeriod, day: date) -> Placement:
    """The (counted) placement the child was in on ``day``."""
    return (
        Placement.objects.current()
        .filter(period=period, superseded=False, started_on__lte=day)
        .order_by("-started_on", "-pk")
        .first()
    )


def refresh_visit_due(period: CarePeriod, *, by) -> None:
    """The next statutory visit falls due from the current placement and the last visit
    in it that saw the child (a new placement restarts the count)."""
    placement = placement_on(period, date.max)
    last = (
        period.visits.current()
        .filter(placement=placement, child_seen=True)
        .aggregate(d=Max("visited_on"))["d"]
    )
    due = timescales.next_visit_due_on(
        placement.started_on, last, long_term=placement.long_term,
        interval_days=period.visit_interval_days,
    )  # fmt: skip
    if due != period.next_visit_due_on:
        period.next_visit_due_on = due
        save(period, by=by, why=f"Next statutory visit due {due:%d/%m/%Y}")

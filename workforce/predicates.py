"""The workforce's named predicates: when a contract or a post is current, written once.

A contract is **in post on day D** from its start to its end date *inclusive*: the end
date is the last day worked (as ``Worker.left_on`` is for caseloads and the KPI stocks'
``_in_post``). A post is open on D up to its ``valid_to`` inclusive, likewise. This is
not the allocation's rule (``casework.predicates``: an allocation's ``ended_on`` is the
day the next holder takes the case, so it is open *before* it). The KPIs, the
establishment page, the workforce figures and the services all ask these.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q


def in_post(started_on: date, ended_on: date | None, on: date) -> bool:
    """A contract (read into Python) is current on ``on``."""
    return started_on <= on and (ended_on is None or ended_on >= on)


def contract_in_post(on: date, prefix: str = "") -> Q:
    """Contracts current on ``on``, on a query reaching contracts through ``prefix``."""
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


def post_open(on: date, prefix: str = "") -> Q:
    """Posts in the establishment on ``on`` (from ``valid_from``, to ``valid_to`` inclusive)."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )

"""A demo loaded on an earlier day is regenerated, so ``make demo`` always shows today.

The generator writes a whole history up to one day (``GeneratedHistory.through``): the
demo's present. Run again on a later day, the same data would show visits and steps long
overdue and nothing due this week. Shifting every date would break the working-day
calendar (bank holidays do not move with them), so the old authority is emptied and a new
one generated up to today.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from casework.generator.engine import LA_NAME
from casework.models import Authority, GeneratedHistory

# Rows the migrations put in (the working-day calendar and closure days, the national KPI
# comparators) and Django's own registries: kept. Every other table is the authority's.
KEPT_MODELS = (
    "casework.WorkingDay",
    "casework.ClosureDay",
    "metrics.KpiComparator",
    "contenttypes.ContentType",
    "auth.Permission",
)


def demo_present() -> date | None:
    """The last day of the loaded generated history; None if there is none."""
    return GeneratedHistory.objects.order_by("-pk").values_list("through", flat=True).first()


def is_generated() -> bool:
    """Whether the authority was generated (never a council's own data). A demo loaded
    before generated histories were recorded is known by the generator's name."""
    return GeneratedHistory.objects.exists() or Authority.objects.filter(name=LA_NAME).exists()


def is_stale(today: date) -> bool:
    """A generated authority whose present is not ``today``."""
    return is_generated() and demo_present() != today


@transaction.atomic
def empty_generated_authority() -> int:
    """Empty every table but ``KEPT_MODELS``; returns how many were emptied.

    Refuses unless the authority was generated, so a council's records are never touched.
    """
    if not is_generated():
        raise ValueError("Only a generated authority can be emptied.")
    kept = set()
    for label in KEPT_MODELS:
        model = apps.get_model(label)
        kept.add(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            kept.add(history.model._meta.db_table)
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in kept
    ]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses a table with deferred foreign-key checks still pending in this
        # transaction (rows written earlier in it): run those checks now, defer again after.
        statements = ["SET CONSTRAINTS ALL IMMEDIATE", *statements, "SET CONSTRAINTS ALL DEFERRED"]
    connection.ops.execute_sql_flush(statements)
    return len(tables)

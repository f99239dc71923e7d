"""Which tables each KPI's queries read, found by running it and reading its SQL."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics import services
from metrics.models import KpiSnapshot

NOT_SOURCES = {KpiSnapshot._meta.db_table}


def _all_tables() -> set[str]:
    return {m._meta.db_table for m in apps.get_models()} - NOT_SOURCES


def tables_read(definition, periods) -> set[str]:
    """Every model table named in the SQL ``definition`` runs for ``periods``."""
    with CaptureQueriesContext(connection) as captured:
        services._figures(definition, periods, scoped_from=min(p.start for p in periods))
    sql = "\n".join(q["sql"] for q in captured.captured_queries)
    return {t for t in _all_tables() if re.search(rf"\b{re.escape(t)}\b", sql)}

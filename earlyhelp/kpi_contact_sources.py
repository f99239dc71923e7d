"""Contacts by source: children on contacts from each source and the share progressed
(screened to a referral or to early help), as the early help page shows them.

Counting them live meant aggregating a year of the authority's contacts on every view
of the page (a whole-table read that grew with the authority, issue 25). The KPI job
keeps the same counts by month and source instead (``ContactSourceMonth``), with the
``contacts_by_source`` KPI and from the same rows, so the page reads at most a dozen
months' rows and shows what the KPI dashboard shows, as at the same run.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, F, Min, Sum
from django.db.models.functions import TruncMonth

from casework.codes import ReferralSource
from casework.predicates import contact_progressed
from earlyhelp.models import ContactSourceMonth
from metrics.kpis.flows import _contacts


def _counted(start: date, end: date, **by):
    """Children on contacts received from ``start`` to ``end``, and the progressed ones,
    grouped by ``by`` (named expressions)."""
    return (
        _contacts(start, end)
        .values(**by)
        .annotate(contacts=Count("pk"), progressed=Count("pk", filter=contact_progressed()))
        .order_by()
    )


@transaction.atomic
def refresh(start: date, end: date, *, run_at: datetime) -> int:
    """Rewrite the months from ``start`` to ``end`` (whole months: a KPI run's periods
    start on a month's first day and end on a month's last) with one aggregate query;
    returns the rows kept. Called by the KPI job only (``metrics.services``).

    Upserted, then the months' rows this run did not produce are deleted, so two runs
    over the same months at once (the nightly job and an incremental one) both finish.
    """
    rows = _counted(start, end, month=TruncMonth("received_on"), code=F("contact__source"))
    found = [
        ContactSourceMonth(
            month=row["month"], source=row["code"], contacts=row["contacts"],
            progressed=row["progressed"], computed_at=run_at,
        )
        for row in rows
    ]  # fmt: skip
    ContactSourceMonth.objects.bulk_create(
        found,
        update_conflicts=True,
        unique_fields=["month", "source"],
        update_fields=["contacts", "progressed", "computed_at"],
    )
    ContactSourceMonth.objects.filter(month__gte=start, month__lte=end).exclude(
        computed_at=run_at
    ).delete()
    return len(found)


def breakdown_live(start: date, end: date) -> list[dict]:
    """The breakdown counted from the contacts themselves (what ``refresh`` stores)."""
    rows = _counted(start, end, code=F("contact__source"))
    return _table((row["code"], row["contacts"], row["progressed"]) for row in rows)


def breakdown(start: date, end: date) -> tuple[list[dict], datetime | None]:
    """The stored breakdown for the months from ``start`` to ``end``, and when the KPI job
    counted its oldest month (None: no rows). One aggregate over the months' rows."""
    months = ContactSourceMonth.objects.filter(month__gte=start, month__lte=end)
    rows = list(
        months.values("source")
        .annotate(n=Sum("contacts"), p=Sum("progressed"), at=Min("computed_at"))
        .order_by()
        .values_list("source", "n", "p", "at")
    )
    computed_at = min((row[3] for row in rows), default=None)
    return _table(row[:3] for row in rows), computed_at


def _table(rows) -> list[dict]:
    """(source, children, progressed) -> the page's rows, largest source first."""
    out = []
    for code, n, progressed in rows:
        label = ReferralSource(code).label if code in ReferralSource.values else code
        share = round(100 * progressed / n, 1) if n else None
        out.append(
            {"source": code, "label": label, "contacts": n, "progressed": progressed,
             "percent": share}
        )  # fmt: skip
    return sorted(out, key=lambda r: (-r["contacts"], r["source"]))

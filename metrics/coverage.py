"""Which periods the recorded data covers: a period is partial (shown greyed, with the
reason) when it starts before the first record a KPI counts, or has not ended yet.

Each family of KPIs has its own data start, since the records often began at different
dates (e.g. a case history imported from a census, contracts loaded when the workforce
module went live): contacts from the first contact, workforce KPIs from the first
contract, children-in-care KPIs from the first period of care, early help KPIs from the
first early help episode, and every other KPI (episodes) from the first referral. One
query for all of them, whatever the number of KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from metrics import periods as P
from referrals.models import Contact, Referral

CONTACT_KPIS = frozenset(
    {
        "contacts_screened_1wd",
        "contact_conversion",
        "contacts_by_source",
        "contacts_open_early_help",
        "contacts_screened_in_standard",
    }
)
# KPI family by the module computing it (the registry's ``compute``): the KPI's own data.
FAMILY_BY_MODULE = {
    "workforce.kpis": "workforce",
    "metrics.kpis.care": "care",
    "earlyhelp.kpis": "early_help",
}
WHAT = {
    "contacts": "contacts",
    "referrals": "referrals",
    "workforce": "contracts",
    "care": "periods of care",
    "early_help": "early help episodes",
}
NO_DATA = "No {what} are recorded before {first:%-d %B %Y}: this period has no data"
PART_COVERED = "{What} are recorded from {first:%-d %B %Y}: this period is only partly covered"
NOTHING_YET = "No {what} are recorded yet"
IN_PROGRESS = "The period has not ended: figures to {today:%-d %B %Y}"


def kpi_family(code: str) -> str:
    """Which records KPI ``code`` counts: a key of ``WHAT``."""
    from metrics import registry

    if code in CONTACT_KPIS:
        return "contacts"
    compute = registry.BY_CODE[code].compute if code in registry.BY_CODE else None
    return FAMILY_BY_MODULE.get(getattr(compute, "__module__", ""), "referrals")


@dataclass(frozen=True)
class Coverage:
    contacts_from: date | None
    referrals_from: date | None
    today: date
    # First record of the other families (``WHAT`` keys); a missing key means none yet.
    starts: dict[str, date | None] = field(default_factory=dict)

    def first(self, family: str) -> date | None:
        if family == "contacts":
            return self.contacts_from
        if family == "referrals":
            return self.referrals_from
        return self.starts.get(family)

    def partial_reason(self, code: str, period: P.Period) -> str | None:
        """Why ``period`` is partial for KPI ``code``, or None when the data covers it."""
        family = kpi_family(code)
        first, what = self.first(family), WHAT[family]
        if first is None:
            return NOTHING_YET.format(what=what)
        if period.end < first:
            return NO_DATA.format(what=what, first=first)
        if period.start < first:
            return PART_COVERED.format(What=what.capitalize(), first=first)
        if period.end > self.today:
            return IN_PROGRESS.format(today=self.today)
        return None


def _first_sql(queryset, field: str):
    """The SQL and parameters of the earliest ``field`` in ``queryset`` (an index scan)."""
    return queryset.order_by(field).values_list(field, flat=True)[:1].query.sql_with_params()


def data_coverage(today: date | None = None) -> Coverage:
    from care.models import CarePeriod
    from earlyhelp.models import EarlyHelpEpisode
    from workforce.models import Contract

    # One round trip for every family: the KPI page and report count their queries.
    firsts = [
        _first_sql(Contact.objects.filter(entered_in_error=False), "received_at"),
        _first_sql(Referral.objects.filter(entered_in_error=False), "referred_on"),
        _first_sql(Contract.objects.all(), "started_on"),
        _first_sql(CarePeriod.objects.filter(entered_in_error=False), "started_on"),
        _first_sql(EarlyHelpEpisode.objects.filter(entered_in_error=False), "requested_on"),
    ]
    sql = "SELECT " + ", ".join(f"({part})" for part, _ in firsts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _, params in firsts for p in params])
        received, referred, contracted, cared, helped = cursor.fetchone()
    return Coverage(
        contacts_from=timezone.localdate(received) if received else None,
        referrals_from=referred,
        today=today or timezone.localdate(),
        starts={"workforce": contracted, "care": cared, "early_help": helped},
    )

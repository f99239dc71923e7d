"""Which periods the recorded data covers: a period is partial (shown greyed, with the
reason) when it starts before the first record a KPI counts, or has not ended yet.

Contacts start when the front door began recording them (often later than the case
history, e.g. imported from a census); every other KPI counts episodes, so its data
starts with the first referral. Two aggregate queries, whatever the number of KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Min
from django.utils import timezone

from metrics import periods as P
from referrals.models import Contact, Referral

CONTACT_KPIS = frozenset({"contacts_screened_1wd", "contact_conversion"})
NO_DATA = "No {what} are recorded before {first:%-d %B %Y}: this period has no data"
PART_COVERED = "{What} are recorded from {first:%-d %B %Y}: this period is only partly covered"
NOTHING_YET = "No {what} are recorded yet"
IN_PROGRESS = "The period has not ended: figures to {today:%-d %B %Y}"


@dataclass(frozen=True)
class Coverage:
    contacts_from: date | None
    referrals_from: date | None
    today: date

    def partial_reason(self, code: str, period: P.Period) -> str | None:
        """Why ``period`` is partial for KPI ``code``, or None when the data covers it."""
        contacts = code in CONTACT_KPIS
        first = self.contacts_from if contacts else self.referrals_from
        what = "contacts" if contacts else "referrals"
        if first is None:
            return NOTHING_YET.format(what=what)
        if period.end < first:
            return NO_DATA.format(what=what, first=first)
        if period.start < first:
            return PART_COVERED.format(What=what.capitalize(), first=first)
        if period.end > self.today:
            return IN_PROGRESS.format(today=self.today)
        return None


def data_coverage(today: date | None = None) -> Coverage:
    received = Contact.objects.filter(entered_in_error=False).aggregate(first=Min("received_at"))[
        "first"
    ]
    referred = Referral.objects.filter(entered_in_error=False).aggregate(first=Min("referred_on"))[
        "first"
    ]
    return Coverage(
        contacts_from=timezone.localdate(received) if received else None,
        referrals_from=referred,
        today=today or timezone.localdate(),
    )

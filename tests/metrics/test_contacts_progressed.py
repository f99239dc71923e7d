"""Issue 18: "contacts progressed" means one thing (the ``contacts_by_source`` KPI's
numerator: screened to a referral or to early help) on the early help page, in the
quarterly report's breakdown and in the KPI."""

from datetime import date

import pytest
from django.utils import timezone

from earlyhelp import kpi_contact_sources as contact_sources
from metrics import report_breakdowns as RB
from referrals.models import ScreeningDecision
from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db

DAY = date(2024, 9, 2)


def test_a_contact_screened_to_early_help_is_progressed_everywhere():
    b.authority()
    for decision in (ScreeningDecision.EARLY_HELP, ScreeningDecision.REFERRAL,
                     ScreeningDecision.NFA):  # fmt: skip
        b.contact(b.at(DAY), [b.child()], decided=b.at(DAY), source="6", decision=decision)
    start, end = date(2024, 9, 1), date(2024, 9, 30)

    contact_sources.refresh(start, end, run_at=timezone.now())  # as the KPI job keeps them
    rows, _ = contact_sources.breakdown(start, end)
    page = {r["source"]: r["progressed"] for r in rows}
    report = {r["code"]: r["progressed"] for r in RB.contacts_by_source(start, end)}
    kpi = figure("contacts_by_source", "2024-09")[0]
    assert page["6"] == report["6"] == kpi == 2

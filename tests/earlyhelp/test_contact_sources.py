"""The early help page's contacts by source: stored by the KPI job, shown as counted.

Today is pinned at 2 June 2025 (tests/factories/fixtures.py), so the page's period is the
rolling year R12-2025-06: July 2024 to June 2025.
"""

import re
from datetime import date

import pytest

from earlyhelp import kpi_contact_sources as contact_sources
from earlyhelp.models import ContactSourceMonth
from metrics import periods as P
from metrics import services
from referrals.models import Contact, ScreeningDecision
from tests.metrics import builders as b
from tests.metrics.conftest import figure, working_day_calendar  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 2)
YEAR = P.parse("R12-2025-06")
REFERRAL, EARLY_HELP, NFA = (
    ScreeningDecision.REFERRAL,
    ScreeningDecision.EARLY_HELP,
    ScreeningDecision.NFA,
)


def _contact(day, source, *decisions):
    """One contact received on ``day`` with one child per decision."""
    at = b.at(day)
    for decision in set(decisions):
        n = decisions.count(decision)
        b.contact(at, [b.child() for _ in range(n)], decided=at, source=source, decision=decision)


def _contacts():
    _contact(date(2024, 7, 1), "6", REFERRAL, REFERRAL, NFA)  # the period's first day
    _contact(date(2025, 6, 2), "6", EARLY_HELP)
    _contact(date(2025, 3, 31), "2A", NFA, EARLY_HELP)
    _contact(date(2024, 6, 30), "6", REFERRAL)  # the day before the period: not counted
    _contact(date(2025, 1, 6), "1A", NFA)


def _kpi_job():
    return services.kpi_snapshots_compute_all(today=TODAY)


def _shown(client) -> list[tuple[str, str, str, str]]:
    """(source, children, progressed, %) of each row of the page's by-source table."""
    html = client.get("/early-help/").content.decode()
    table = html[html.index("Contacts by source") :]
    cells = re.findall(r'govuk-table__cell[^"]*">([^<]*)</td>', table)
    return [tuple(cells[i : i + 4]) for i in range(0, len(cells) - 3, 4)]


def _expected(rows) -> list[tuple[str, str, str, str]]:
    return [
        (f"{r['source']}: {r['label']}", str(r["contacts"]), str(r["progressed"]),
         f"{r['percent']}%")
        for r in rows
    ]  # fmt: skip


def test_the_page_shows_what_the_kpi_job_counted_identical_to_counting_the_contacts(hos, client):
    b.authority()
    _contacts()
    _kpi_job()
    client.force_login(hos)

    live = contact_sources.breakdown_live(YEAR.start, YEAR.end)
    assert [(r["source"], r["contacts"], r["progressed"], r["percent"]) for r in live] == [
        ("6", 4, 3, 75.0),
        ("2A", 2, 1, 50.0),
        ("1A", 1, 0, 0.0),
    ]
    assert _shown(client) == _expected(live)
    # The KPI's own figure for the same year adds up the same children.
    year = figure("contacts_by_source", YEAR.name, recompute=False)
    assert year == (4, 7, pytest.approx(57.1429))


def test_the_page_does_not_count_contacts_until_the_kpi_job_has(hos, client):
    b.authority()
    _contacts()
    client.force_login(hos)
    html = client.get("/early-help/").content.decode()
    assert "Counted by the KPI job: none yet for this period" in html
    assert "No contacts counted for the period yet." in html

    _kpi_job()
    assert "As counted by the KPI job on" in client.get("/early-help/").content.decode()


def test_a_back_dated_contact_is_counted_by_the_incremental_recompute(hos, client):
    b.authority()
    _contacts()
    _kpi_job()
    client.force_login(hos)
    before = _shown(client)
    _contact(date(2024, 9, 2), "1A", REFERRAL, REFERRAL)
    assert _shown(client) == before  # stored, not counted per view

    services.kpi_snapshots_compute_changes({Contact._meta.db_table: date(2024, 9, 2)}, today=TODAY)
    live = contact_sources.breakdown_live(YEAR.start, YEAR.end)
    assert ("1A", 3, 2) in [(r["source"], r["contacts"], r["progressed"]) for r in live]
    assert _shown(client) == _expected(live)


def test_a_month_whose_contacts_were_all_entered_in_error_loses_its_rows(clock):
    b.authority()
    _contact(date(2025, 1, 6), "1A", NFA)
    _kpi_job()
    assert ContactSourceMonth.objects.filter(month=date(2025, 1, 1)).exists()
    Contact.objects.filter(received_at__date=date(2025, 1, 6)).update(entered_in_error=True)

    clock.shift(60)  # the next night's run: a later run time (the clock is pinned)
    _kpi_job()
    assert not ContactSourceMonth.objects.filter(month=date(2025, 1, 1)).exists()
    assert contact_sources.breakdown(YEAR.start, YEAR.end) == ([], None)

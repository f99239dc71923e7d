from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from openpyxl import load_workbook

from casework.models import (
    Allocation,
    Assessment,
    AssessmentOutcome,
    ChildProtectionPlan,
    Section47Enquiry,
)
from metrics.returns.annex_a import Window
from referrals.models import ContactChild, Referral, ScreeningDecision
from tests.returns import builders

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 3, 31)
START = date(2024, 10, 1)


@pytest.fixture
def annex(small_authority):
    kids = small_authority
    builders.contact(kids["unborn"], date(2025, 2, 3))
    builders.contact(kids["referral_nfa"], date(2024, 11, 12), source="6")
    builders.contact(kids["closed_nfa"], date(2025, 1, 20), decision=ScreeningDecision.EARLY_HELP)
    builders.contact(kids["closed_nfa"], date(2024, 9, 30))  # day before the window
    ref = Referral.objects.get(child=kids["unborn"])
    team, worker = builders.team_and_worker()
    Allocation.objects.create(
        child=ref.child,
        referral=ref,
        worker=worker,
        team=team,
        started_on=ref.referred_on,
        reason="new",
    )
    return kids


def _sheet_rows(path):
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(min_row=2, values_only=True)) for ws in wb.worksheets}, wb


def test_each_list_has_one_row_per_database_record(annex, tmp_path):
    call_command(
        "export_annex_a",
        "--as-of",
        "2025-03-31",
        "--out",
        str(tmp_path / "a.xlsx"),
        stdout=StringIO(),
    )
    rows, _ = _sheet_rows(tmp_path / "a.xlsx")

    assert Window(AS_OF).start == START
    assert (
        len(rows["List 1 Contacts"])
        == ContactChild.objects.filter(
            contact__received_at__date__gte=START, contact__received_at__date__lte=AS_OF
        ).count()
        == 3
    )
    early_help_contacts = ContactChild.objects.filter(
        decision=ScreeningDecision.EARLY_HELP, contact__received_at__date__range=(START, AS_OF)
    ).count()
    early_help_assessments = (
        Assessment.objects.current()
        .filter(outcome=AssessmentOutcome.EARLY_HELP, authorised_on__range=(START, AS_OF))
        .count()
    )
    assert len(rows["List 2 Early Help"]) == early_help_contacts + early_help_assessments == 1
    assert (
        len(rows["List 3 Referrals"])
        == Referral.objects.current().filter(referred_on__range=(START, AS_OF)).count()
        == 2
    )
    assert (
        len(rows["List 4 Assessments"])
        == Assessment.objects.current()
        .filter(Q(started_on__range=(START, AS_OF)) | Q(authorised_on__range=(START, AS_OF)))
        .count()
    )
    assert (
        len(rows["List 5 Section 47"])
        == Section47Enquiry.objects.current().filter(started_on__range=(START, AS_OF)).count()
    )
    assert (
        len(rows["List 6 Children in Need"])
        == Referral.objects.current()
        .filter(referred_on__lte=AS_OF)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=AS_OF))
        .count()
    )
    assert (
        len(rows["List 7 Child Protection"])
        == ChildProtectionPlan.objects.current()
        .filter(started_on__lte=AS_OF, ended_on__isnull=True)
        .count()
        == 1
    )


def test_dates_are_uk_format_and_codes_are_census_codes(annex, tmp_path):
    call_command(
        "export_annex_a",
        "--as-of",
        "2025-03-31",
        "--out",
        str(tmp_path / "a.xlsx"),
        stdout=StringIO(),
    )
    _, wb = _sheet_rows(tmp_path / "a.xlsx")
    ws = wb["List 7 Child Protection"]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, ws[2], strict=True))

    assert row["CP plan start date"].number_format == "dd/mm/yyyy"
    assert row["CP plan start date"].value.date() == date(2024, 9, 4)
    assert row["Initial category of abuse"].value == "EMO"
    assert row["Gender"].value == "2"
    assert row["Ethnicity"].value == "WBRI"
    assert row["Date of latest review conference"].value.date() == date(2024, 12, 4)
    referrals = wb["List 3 Referrals"]
    sources = {r[0]: r for r in referrals.iter_rows(min_row=2, values_only=True)}
    unborn = sources[annex["unborn"].la_child_id]
    assert unborn[7] == "3B"  # referral source
    assert unborn[10].startswith("Assessment")  # allocated team
    assert unborn[11] == "Alex Worker"  # allocated worker


def test_last_12_months_counts_exclude_the_rows_own_event(annex):
    from metrics.returns.annex_a import referrals

    child = annex["unborn"]
    builders.referral(child, date(2024, 3, 1), closed_on=date(2024, 3, 20))  # 11 months before
    builders.referral(child, date(2023, 12, 1), closed_on=date(2023, 12, 5))  # 14 months before

    row = next(r for r in referrals(Window(AS_OF)) if r.child_id == child.pk)
    assert row.referrals_12m == 1

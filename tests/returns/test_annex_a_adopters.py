"""Annex A list 11: adopters as people, recorded through care.adopters and matched through
the adoption services; one row per adopter with the family's stages as known at the as-of
date."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from care import adopters, adoption, errors
from care.adopters import AdopterDetails
from casework.errors import DomainError
from tests.care.builders import looked_after
from tests.factories.casework import ChildFactory
from tests.factories.fixtures import *  # noqa: F403 - sw and the pinned clock

pytestmark = pytest.mark.django_db


def _household(sw, **extra):
    return adopters.adopter_household_record(
        by=sw, reference="af-7", legal_status="L11",
        adopters=[AdopterDetails(sex="F", ethnicity="WBRI", disabled=False),
                  AdopterDetails(sex="M", ethnicity="MWBC")],
        enquiry_on=date(2023, 9, 4), stage1_started_on=date(2023, 10, 2),
        stage1_ended_on=date(2023, 12, 1), applied_on=date(2023, 12, 4),
        stage2_started_on=date(2024, 1, 8), stage2_ended_on=date(2024, 5, 3),
        approved_on=date(2024, 5, 20), **extra,
    )  # fmt: skip


def test_the_steps_must_follow_each_other_and_a_match_needs_approved_adopters(sw):
    _household(sw)
    with pytest.raises(DomainError) as caught:
        _household(sw)  # the family ID is taken
    assert caught.value.field == "reference"
    period = looked_after(ChildFactory(date_of_birth=date(2023, 1, 2)), sw, on=date(2023, 6, 5),
                          legal_status="C2")  # fmt: skip
    plan = adoption.adoption_decide(period=period, by=sw, decided_on=date(2023, 11, 1))
    household = adopters.AdopterHousehold.objects.get()
    with pytest.raises(DomainError) as caught:
        adoption.adoption_match(plan=plan, by=sw, matched_on=date(2024, 5, 1), household=household)
    assert caught.value.message == errors.ADOPTERS_NOT_APPROVED
    with pytest.raises(DomainError) as caught:
        adopters.adopter_household_step(household=household, by=sw, step="stage2_started_on",
                                        on=date(2023, 11, 30))  # fmt: skip
    assert caught.value.field == "stage2_started_on"


def test_list_11_has_a_row_per_adopter_with_the_familys_dates(tmp_path, sw):
    household = _household(sw)
    period = looked_after(ChildFactory(date_of_birth=date(2023, 1, 2)), sw, on=date(2023, 6, 5),
                          legal_status="C2")  # fmt: skip
    plan = adoption.adoption_decide(period=period, by=sw, decided_on=date(2023, 11, 1))
    plan = adoption.adoption_match(plan=plan, by=sw, matched_on=date(2024, 7, 1),
                                   household=household)  # fmt: skip
    assert (plan.adopters_number, plan.adopters_sex, plan.adopters_legal_status) == (
        2, "MF", "L11")  # fmt: skip
    out = tmp_path / "annex.xlsx"
    call_command("export_annex_a", "--as-of", "2025-03-31", "--out", str(out), stdout=StringIO())
    ws = load_workbook(out)["List 11 Adopters"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]

    def day(value):
        return value.date() if value else None

    assert [(r["Adopter ID"], r["Family ID"], r["Gender"], r["Ethnicity"]) for r in rows] == [
        ("AF-7-1", "AF-7", "Female", "WBRI"), ("AF-7-2", "AF-7", "Male", "MWBC")]  # fmt: skip
    row = rows[0]
    assert row["Disability"] == "No" and rows[1]["Disability"] in ("", None)
    assert [day(row[h]) for h in ("Date of Initial Enquiry", "Date Stage 1 Started",
                                  "Date Stage 2 Ended", "Date of Application",
                                  "Date of Approval", "Date Matched")] == [
        date(2023, 9, 4), date(2023, 10, 2), date(2024, 5, 3), date(2023, 12, 4),
        date(2024, 5, 20), date(2024, 7, 1)]  # fmt: skip
    assert row["Date Placed"] is None and row["Number of Children Placed"] == 0

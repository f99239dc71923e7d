from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from casework.models import Assessment, ChildProtectionPlan
from metrics.returns.checks import upn_check_letter
from metrics.returns.service import census_check
from referrals.models import Referral
from tests.returns import builders

pytestmark = pytest.mark.django_db


def _rules(findings, la_child_id):
    return {f.rule_id for f in findings if f.la_child_id == la_child_id}


def test_a_plan_not_starting_on_an_icpc_date_fires_2885(small_authority):
    child = small_authority["cp_plan"]
    ChildProtectionPlan.objects.filter(child=child).update(started_on=date(2024, 9, 5))

    assert "2885" in _rules(census_check(year=2025), child.la_child_id)


def test_an_assessment_before_the_referral_fires_8608(small_authority):
    child = small_authority["closed_nfa"]
    Assessment.objects.filter(child=child).update(started_on=date(2024, 5, 1))

    findings = census_check(year=2025)
    assert _rules(findings, child.la_child_id) == {"8608"}
    assert findings[0].detail == "Episode referred 07/05/2024: assessment started 01/05/2024"


def test_missing_primary_need_on_a_referral_with_further_action_fires_8610(small_authority):
    child = small_authority["closed_nfa"]
    Referral.objects.filter(child=child).update(primary_need="")

    assert "8610" in _rules(census_check(year=2025), child.la_child_id)


def test_no_primary_need_before_the_assessment_is_finished_is_exported_as_n0(small_authority):
    # The unborn child's assessment is still open at 31 March: "not stated" is the census code.
    child = small_authority["unborn"]
    Referral.objects.filter(child=child).update(primary_need="")

    assert "8610" not in _rules(census_check(year=2025), child.la_child_id)


def test_factor_21_with_another_factor_fires_8869(small_authority):
    child = small_authority["closed_nfa"]
    Assessment.objects.filter(child=child).update(factors=["21", "3B"])

    assert "8869" in _rules(census_check(year=2025), child.la_child_id)


def test_a_cin_plan_during_a_cp_plan_fires_4001(small_authority):
    child = small_authority["cp_plan"]
    ref = Referral.objects.get(child=child)
    builders.cin_plan(ref, date(2024, 10, 1))

    assert "4001" in _rules(census_check(year=2025), child.la_child_id)


def test_an_icpc_on_a_bank_holiday_is_reported(small_authority):
    child = small_authority["cp_plan"]
    ref = Referral.objects.get(child=child)
    builders.s47(ref, date(2024, 12, 10), icpc_on=date(2024, 12, 26))

    rules = _rules(census_check(year=2025), child.la_child_id)
    assert "CF-ICPC-WORKING-DAY" in rules


def test_an_unborn_child_recorded_as_female_is_reported(small_authority):
    child = small_authority["unborn"]
    child.sex = "F"
    child.save()

    assert _rules(census_check(year=2025), child.la_child_id) == {"CF-UNBORN"}


def test_upn_check_letter_follows_the_dfe_algorithm():
    # characters 2-13 weighted 2..13: 2*1+3*2+...; the small authority's UPN is valid
    assert upn_check_letter("A123456789012") == "A"


def test_the_command_lists_dfe_findings_and_writes_xlsx(small_authority, tmp_path):
    child = small_authority["closed_nfa"]
    Referral.objects.filter(child=child).update(primary_need="")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "check_cin_census", "--year", "2025", "--xlsx", str(tmp_path / "r.xlsx"), stdout=out
        )

    assert f"{child.la_child_id}\t8610\tCINdetails" in out.getvalue()
    assert "Errors by rule (children): 8610: 1" in out.getvalue()
    ws = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    header = ["LA child ID", "Rule", "Record to fix", "Message", "What it means"]
    assert [c.value for c in ws[1]] == header
    assert {(r[0].value, r[1].value) for r in ws.iter_rows(min_row=2)} == {
        (child.la_child_id, "8610")
    }

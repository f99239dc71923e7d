"""SSDA903 SWEpisodes: the social workers of children looked after on 31 March, over the whole
year, from the allocation history; each hard rule on a hand-built child; and the library
rule that contradicts the DfE's text (SW12) shown on a record the text accepts."""

import csv
from datetime import date
from decimal import Decimal
from io import StringIO

import pandas as pd
import pytest
from django.core.management import call_command
from lac_validator.rules.ruleset_utils import get_year_ruleset

from care.services.ending import care_end
from casework.models import AllocationReason
from casework.services.allocation import allocation_end, case_allocate
from metrics.returns import ssda903
from metrics.returns.ssda903_validator import LIBRARY_DEFECTS, validate_dir
from tests.care.builders import looked_after
from tests.factories.casework import ChildFactory
from tests.factories.fixtures import *  # noqa: F403 - sw, sw2, tm and the pinned clock
from tests.factories.referrals import open_referral
from tests.workforce import builders as wb
from workforce.services import establishment as E

pytestmark = pytest.mark.django_db


def _rows(tmp_path, year):
    out = tmp_path / str(year)
    call_command("export_ssda903", "--year", str(year), "--out", str(out), stdout=StringIO())
    with (out / ssda903.FILE_NAMES["SWEpisodes"]).open() as fh:
        return out, list(csv.DictReader(fh))


def _sw_rules(year):
    return [code for code in get_year_ruleset(str(year)) if code.startswith("SW")]


def _findings(out, year):
    report = validate_dir(out, year=year, rules=_sw_rules(year))
    assert not report.rules_not_run
    errors = sorted({(f.rule, f.la_child_id) for f in report.errors})
    queries = sorted({(f.rule, f.la_child_id) for f in report.queries})
    return errors, queries


def _allocated_child(sw, sw2, tm, *, referred_on=date(2024, 1, 10)):
    sw.worker.swe_registration = "SW100200"
    sw.worker.save()
    child = ChildFactory(date_of_birth=date(2015, 3, 2))
    referral = open_referral(by=sw, child=child, referred_on=referred_on)
    case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=referred_on)
    # Replaced the same day: the later allocation of a day holds the case (SW19).
    case_allocate(referral=referral, by=tm, worker=sw2.worker, started_on=date(2024, 8, 1),
                  reason=AllocationReason.WORKLOAD)  # fmt: skip
    case_allocate(referral=referral, by=tm, worker=sw2.worker, started_on=date(2024, 8, 1),
                  reason=AllocationReason.WORKER_LEFT)  # fmt: skip
    return child, referral


def test_a_child_looked_after_on_31_march_has_the_whole_years_social_workers(tmp_path, sw, sw2, tm):
    child, _ = _allocated_child(sw, sw2, tm)
    looked_after(child, sw, on=date(2024, 6, 3), legal_status="C2")
    out, rows = _rows(tmp_path, 2025)
    assert [(r["CHILD"], r["SW_ID"], r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"]) for r in rows] == [
        (child.la_child_id, "SW100200", "10/01/2024", "01/08/2024", "FCONTA"),
        # No registration recorded: "XX" and the staff ID, for the council to fix.
        (child.la_child_id, f"XX{sw2.worker.staff_id}", "01/08/2024", "", "LEFTRL"),
    ]  # fmt: skip
    errors, queries = _findings(out, 2025)
    assert errors == []
    # The library's SW12 flags the episode that began before care, which the DfE asks for.
    assert queries == [("SW12STG2", child.la_child_id)]


def test_children_not_looked_after_on_31_march_and_years_before_2024_have_none(
    tmp_path, sw, sw2, tm
):
    child, _ = _allocated_child(sw, sw2, tm)
    period = looked_after(child, sw, on=date(2024, 6, 3), legal_status="C2")
    care_end(period=period, by=sw, ended_on=date(2025, 2, 3), reason_ceased="E4A")
    assert _rows(tmp_path, 2025)[1] == []
    out = tmp_path / "2023"
    call_command("export_ssda903", "--year", "2023", "--out", str(out), stdout=StringIO())
    assert not (out / ssda903.FILE_NAMES["SWEpisodes"]).exists()


def test_a_new_worker_after_a_gap_is_a_first_contact(tmp_path, sw, sw2, tm):
    """SW10a: a change of worker within a week of the last; SW10b: a first contact only after
    the last episode ended; SW17: the latest episode open at 31 March."""
    sw.worker.swe_registration = "SW100300"
    sw.worker.save()
    child = ChildFactory(date_of_birth=date(2012, 5, 5))
    referral = open_referral(by=sw, child=child, referred_on=date(2024, 4, 8))
    case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=date(2024, 4, 8))
    allocation_end(referral=referral, by=tm, ended_on=date(2024, 5, 1), reason="Worker left")
    # Unallocated for four months: whatever the reason given, a first contact (SW10a/b).
    case_allocate(referral=referral, by=tm, worker=sw2.worker, started_on=date(2024, 9, 2),
                  reason=AllocationReason.WORKER_LEFT)  # fmt: skip
    looked_after(child, sw, on=date(2024, 10, 7), legal_status="C2")
    out, rows = _rows(tmp_path, 2025)
    assert [(r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"]) for r in rows] == [
        ("08/04/2024", "01/05/2024", "FCONTA"), ("02/09/2024", "", "FCONTA")]  # fmt: skip
    errors, _ = _findings(out, 2025)
    assert errors == []


def test_a_worker_who_held_the_case_under_3_days_is_not_returned(tmp_path, sw, sw2, tm):
    """SW09 refuses an episode of under 3 days: sw2, replaced the next day, is left out and
    sw's two allocations are one episode."""
    child = ChildFactory(date_of_birth=date(2012, 5, 5))
    referral = open_referral(by=sw, child=child, referred_on=date(2024, 4, 8))
    case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=date(2024, 4, 8))
    case_allocate(referral=referral, by=tm, worker=sw2.worker, started_on=date(2024, 5, 1),
                  reason=AllocationReason.WORKLOAD)  # fmt: skip
    case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=date(2024, 5, 2),
                  reason=AllocationReason.WORKLOAD)  # fmt: skip
    looked_after(child, sw, on=date(2024, 10, 7), legal_status="C2")
    out, rows = _rows(tmp_path, 2025)
    assert [(r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"]) for r in rows] == [
        ("08/04/2024", "", "FCONTA")]  # fmt: skip
    errors, _ = _findings(out, 2025)
    assert errors == []


def test_the_2024_return_holds_the_last_unbroken_run_of_social_workers(tmp_path, sw, sw2, tm):
    """The 2023-24 rules let no episode follow a gap (SW10 within 7 days, SW11a within 5):
    the run before a gap is left out of the 2024 return; from 2025 a first contact may follow
    one (the test above)."""
    child = ChildFactory(date_of_birth=date(2012, 5, 5))
    referral = open_referral(by=sw, child=child, referred_on=date(2023, 4, 10))
    case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=date(2023, 4, 10))
    allocation_end(referral=referral, by=tm, ended_on=date(2023, 5, 2), reason="Worker left")
    case_allocate(referral=referral, by=tm, worker=sw2.worker, started_on=date(2023, 9, 4))
    case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=date(2024, 1, 8),
                  reason=AllocationReason.WORKLOAD)  # fmt: skip
    looked_after(child, sw, on=date(2023, 10, 9), legal_status="C2")
    out, rows = _rows(tmp_path, 2024)
    assert [(r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"]) for r in rows] == [
        ("04/09/2023", "08/01/2024", "FCONTA"), ("08/01/2024", "", "MANAGE")]  # fmt: skip
    errors, _ = _findings(out, 2024)
    assert errors == []


def test_a_starter_through_the_establishment_is_named_by_their_swe_number(tmp_path, sw, tm):
    hos = wb.user()
    post = wb.post(sw.worker.team, hos)
    starter = E.contract_start(post=post, started_on=date(2023, 11, 6), fte=Decimal("1"),
                               employment=wb.PERMANENT, first_name="Nia", last_name="New",
                               swe_registration="SW654321", by=hos).worker  # fmt: skip
    child = ChildFactory(date_of_birth=date(2014, 2, 3))
    referral = open_referral(by=sw, child=child, referred_on=date(2024, 1, 10))
    case_allocate(referral=referral, by=tm, worker=starter, started_on=date(2024, 1, 10))
    looked_after(child, sw, on=date(2024, 6, 3), legal_status="C2")
    out, rows = _rows(tmp_path, 2025)
    assert [(r["SW_ID"], r["SW_DECOM"]) for r in rows] == [("SW654321", "10/01/2024")]
    errors, _ = _findings(out, 2025)
    assert errors == []


# For each rule in LIBRARY_DEFECTS: tables the DfE's rule text accepts, and what the library's
# code flags in them anyway.
DEFECTS = {
    # A child looked after since 2024 whose placement changed (P), with one social worker
    # from before care to now: the DfE's SW12 is met.
    "SW12STG2": ({
        "Episodes": [
            {"CHILD": "1", "DECOM": "03/06/2024", "DEC": "02/09/2024", "REC": "X1", "RNE": "S",
             "LS": "C2"},
            {"CHILD": "1", "DECOM": "02/09/2024", "DEC": pd.NA, "REC": pd.NA, "RNE": "P",
             "LS": "C2"}],
        "SWEpisodes": [{"CHILD": "1", "SW_DECOM": "10/01/2024", "SW_DEC": pd.NA}],
    }, {"Episodes": [0, 1]}),
    # Three social workers, the third taking over on 26 March and still holding the child:
    # no episode ended without a subsequent one.
    "SW11bSTG2": ({
        "SWEpisodes": [
            {"CHILD": "1", "SW_DECOM": "30/08/2024", "SW_DEC": "15/11/2024"},
            {"CHILD": "1", "SW_DECOM": "15/11/2024", "SW_DEC": "26/03/2025"},
            {"CHILD": "1", "SW_DECOM": "26/03/2025", "SW_DEC": pd.NA}],
    }, {"SWEpisodes": [1]}),
}  # fmt: skip


def test_every_library_defect_has_its_example():
    assert set(DEFECTS) == LIBRARY_DEFECTS


@pytest.mark.parametrize("rule", sorted(LIBRARY_DEFECTS))
def test_each_library_defect_still_flags_a_record_the_dfe_text_accepts(rule):
    tables, flagged = DEFECTS[rule]
    dfs = {name: pd.DataFrame(rows) for name, rows in tables.items()}
    dfs["metadata"] = {"collection_start": "01/04/2024", "collection_end": "31/03/2025"}
    found = get_year_ruleset("2025")[rule].func(dfs)
    assert {t: sorted(int(r) for r in rows) for t, rows in found.items()} == flagged

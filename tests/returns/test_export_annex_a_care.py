"""Annex A lists 8 (children in care) and 11 (adopters): a known child's values as at the
as-of date, nothing dated after it, and the unrecorded columns said in the notes."""

from datetime import date, datetime
from io import StringIO
from itertools import chain

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from care import adoption
from care.services.changes import care_change
from care.services.ending import care_end
from care.services.health_education import health_check_record
from care.services.missing import missing_record, missing_return_record
from care.services.placements import PlacementDetails
from care.services.reviews_visits import care_review_record, care_visit_record
from casework.models import Allocation
from metrics.returns import annex_a_care, annex_a_cla
from metrics.returns.annex_a import Window
from tests.care.builders import FOSTER_B, looked_after
from tests.factories.casework import ChildFactory
from tests.factories.fixtures import *  # noqa: F403 - the care tests' fixtures (sw, pinned clock)
from tests.returns import builders

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 3, 31)
ADOPTERS = PlacementDetails(place="A6", provider="PR1", postcode="SO23 8UJ", urn="SC123456",
                            carer="Adopters")  # fmt: skip
LATER = PlacementDetails(place="K2", provider="PR2", postcode="AB9 9ZZ", urn="SC999999")


def _workbook(tmp_path):
    out = tmp_path / "annex.xlsx"
    call_command("export_annex_a", "--as-of", AS_OF.isoformat(), "--out", str(out),
                 stdout=StringIO())  # fmt: skip
    return load_workbook(out)


def _rows(wb, title):
    ws = wb[title]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def _day(v):
    return v.date() if isinstance(v, datetime) else v


@pytest.fixture
def in_care(sw):
    """Interim then full care order, a move, and events either side of the as-of date."""
    child = ChildFactory(date_of_birth=date(2012, 5, 1))
    period = looked_after(child, sw, on=date(2024, 1, 8), legal_status="C1")
    care_change(period=period, by=sw, changed_on=date(2024, 6, 3), legal_status="C2")
    care_change(period=period, by=sw, changed_on=date(2024, 11, 4), placement=FOSTER_B,
                         reason_place_change="CARPL")  # fmt: skip
    care_review_record(period=period, by=sw, held_on=date(2025, 2, 10),
                                participation="PN1")  # fmt: skip
    care_visit_record(period=period, by=sw, visited_on=date(2025, 3, 3), child_seen=True)
    health_check_record(period=period, by=sw, kind="review", done_on=date(2024, 12, 2))
    health_check_record(period=period, by=sw, kind="dental", done_on=date(2025, 1, 15))
    gone = missing_record(period=period, by=sw, kind="M", started_on=date(2025, 1, 10),
                                   ended_on=date(2025, 1, 11))  # fmt: skip
    missing_return_record(missing=gone, by=sw, interview_offered=True,
                                   interview_on=date(2025, 1, 13))  # fmt: skip
    missing_record(period=period, by=sw, kind="A", started_on=date(2025, 2, 1),
                            ended_on=date(2025, 2, 1))  # fmt: skip
    # After the as-of date: not known then.
    care_review_record(period=period, by=sw, held_on=date(2025, 4, 22),
                                participation="PN1")  # fmt: skip
    care_visit_record(period=period, by=sw, visited_on=date(2025, 4, 14), child_seen=True)
    health_check_record(period=period, by=sw, kind="dental", done_on=date(2025, 4, 28))
    care_change(period=period, by=sw, changed_on=date(2025, 5, 6), placement=LATER,
                         reason_place_change="CARPL")  # fmt: skip
    care_end(period=period, by=sw, ended_on=date(2025, 5, 30), reason_ceased="E13")
    return period


def test_list_8_shows_a_known_child_as_at_the_as_of_date(in_care, tmp_path):
    wb = _workbook(tmp_path)

    (row,) = _rows(wb, "List 8 Children in Care")
    assert row["Child Unique ID"] == in_care.child.la_child_id
    assert _day(row["Date Started to be Looked After"]) == date(2024, 1, 8)
    assert row["Legal Status"] == "Full care order"
    assert _day(row["Date Legal Status Started"]) == date(2024, 6, 3)
    assert _day(row["Date of Latest Statutory Review"]) == date(2025, 2, 10)
    assert _day(row["Date of Last Social Work Visit"]) == date(2025, 3, 3)
    assert _day(row["Date of Last Health Assessment"]) == date(2024, 12, 2)
    assert _day(row["Date of Last Dental Check"]) == date(2025, 1, 15)
    assert row["Number of Placements in Last 12 Months"] == 2
    assert _day(row["Date of Latest Placement"]) == date(2024, 11, 4)
    assert row["Placement URN"] == "SC654321"
    assert row["Date Ceased to be Looked After"] is None
    assert row["Reason Ceased to be Looked After"] in ("", None)
    assert row["Number of Missing Episodes in Last 12 Months"] == 1
    assert row["Number of Absence Episodes in Last 12 Months"] == 1
    assert row["Offered a Return Interview after Last Missing Episode"] == "Yes"
    assert row["Accepted a Return Interview after Last Missing Episode"] == "Yes"
    assert row["UASC"] == "No"
    assert row["Date of Last IRO Visit / Contact"] is None
    notes = " ".join(r["Note"] for r in _rows(wb, "Notes"))
    assert "List 8: IRO visits" in notes and "List 11:" in notes


def test_list_8_leaves_out_periods_ended_before_the_window(sw, tmp_path):
    old = looked_after(ChildFactory(date_of_birth=date(2010, 1, 1)), sw, on=date(2023, 1, 9))
    care_end(period=old, by=sw, ended_on=date(2024, 9, 30), reason_ceased="E13")
    recent = looked_after(ChildFactory(date_of_birth=date(2010, 1, 1)), sw, on=date(2023, 1, 9))
    care_end(period=recent, by=sw, ended_on=date(2024, 10, 1), reason_ceased="E13")

    (row,) = _rows(_workbook(tmp_path), "List 8 Children in Care")
    assert row["Child Unique ID"] == recent.child.la_child_id
    assert _day(row["Date Ceased to be Looked After"]) == date(2024, 10, 1)
    assert row["Reason Ceased to be Looked After"].startswith("Left care to live with parent")


def test_list_11_lists_matched_adopters_and_no_date_after_the_as_of_date(in_care, sw, tmp_path):
    period = looked_after(ChildFactory(date_of_birth=date(2023, 2, 1)), sw,
                          on=date(2023, 5, 1), legal_status="C2")  # fmt: skip
    plan = adoption.adoption_decide(period=period, by=sw, decided_on=date(2023, 9, 1))
    adoption.adoption_placement_order(plan=plan, by=sw, ordered_on=date(2023, 11, 1))
    adoption.adoption_match(plan=plan, by=sw, matched_on=date(2025, 1, 6), adopters_number=2,
                            adopters_sex="FF", adopters_legal_status="L11")  # fmt: skip
    adoption.adoption_place(plan=plan, by=sw, placed_on=date(2025, 2, 3), placement=ADOPTERS)
    adoption.adoption_order(plan=plan, by=sw, ordered_on=date(2025, 5, 19))

    wb = _workbook(tmp_path)

    (row,) = _rows(wb, "List 11 Adopters")
    assert row["Gender"] == "Two females"
    assert _day(row["Date Matched"]) == date(2025, 1, 6)
    assert _day(row["Date Placed"]) == date(2025, 2, 3)
    assert row["Date of Adoption Order"] is None
    assert row["Adopter ID"] in ("", None) and row["Date of Approval"] is None
    # The child placed for adoption is in care at the as-of date, under a standing decision.
    by_child = {r["Child Unique ID"]: r for r in _rows(wb, "List 8 Children in Care")}
    assert by_child[period.child.la_child_id]["Permanence Plan"] == "Adoption"
    later = [
        (ws.title, _day(v))
        for ws in wb.worksheets
        for r in ws.iter_rows(min_row=2, values_only=True)
        for v in r
        if isinstance(v, date | datetime) and _day(v) > AS_OF
    ]
    assert later == []


def test_list_8_and_11_queries_do_not_grow_with_children(in_care, sw):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            for _title, _headers, rows in chain(annex_a_cla.lists(Window(AS_OF)),
                                                annex_a_care.lists(Window(AS_OF))):  # fmt: skip
                list(rows)
        return len(ctx.captured_queries)

    before = queries()
    for born in (date(2011, 3, 1), date(2013, 7, 9)):
        p = looked_after(ChildFactory(date_of_birth=born), sw, on=date(2024, 2, 5))
        care_review_record(period=p, by=sw, held_on=date(2024, 8, 5), participation="PN1")
    assert queries() == before


def test_list_8_worker_is_the_one_allocated_at_the_as_of_date(sw, tmp_path):
    """Both workers are named alike: the team tells them apart."""
    child = builders.child()
    ref = builders.referral(child, date(2023, 11, 6))
    (team_then, then), (team_later, later) = builders.team_and_worker(), builders.team_and_worker()
    Allocation.objects.create(child=child, referral=ref, worker=then, team=team_then,
                              started_on=date(2023, 11, 6), ended_on=date(2025, 4, 14),
                              reason="new")  # fmt: skip
    Allocation.objects.create(child=child, referral=ref, worker=later, team=team_later,
                              started_on=date(2025, 4, 14), reason="transfer")  # fmt: skip
    looked_after(child, sw, on=date(2024, 1, 8), legal_status="C2")

    (row,) = _rows(_workbook(tmp_path), "List 8 Children in Care")
    assert (row["Allocated Team"], row["Allocated Worker"]) == (team_then.name, "Alex Worker")

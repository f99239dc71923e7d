"""The SSDA903 return: the DfE-community validator (csc-validator-be-903) finds no error in a
generated authority's export for three collection years, each under its own ruleset; the
rules that were hard to meet each have a test on a hand-built child."""

import csv
import zipfile
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from lac_validator.config import column_names
from openpyxl import load_workbook

from accounts.models import Role, User
from care import adoption, leavers
from care.models import AdoptionPlan, MissingEpisode
from care.services.ending import care_end
from care.services.missing import missing_record
from care.services.reviews_visits import care_review_record
from casework.models import Child
from metrics.returns import ssda903
from metrics.returns.models import CensusCheckRun
from metrics.returns.ssda903_validator import validate_dir
from tests.care.builders import looked_after
from tests.factories.casework import ChildFactory
from tests.factories.fixtures import *  # noqa: F403 - the care tests' fixtures (sw, pinned clock)
from tests.support.celery import tasks_in_process

pytestmark = pytest.mark.django_db
END = date(2026, 5, 31)


def _export(tmp_path, year):
    out = tmp_path / str(year)
    call_command("export_ssda903", "--year", str(year), "--out", str(out), stdout=StringIO())
    return out


def _rows(out, table):
    with (out / ssda903.FILE_NAMES[table]).open() as fh:
        return list(csv.DictReader(fh))


def test_a_generated_authority_has_no_validator_error_in_three_years(tmp_path):
    call_command("generate_authority", "--scale", "tiny", "--seed", "3", "--end-date",
                 END.isoformat(), stdout=StringIO())  # fmt: skip
    # Every return with social worker episodes (SWEpisodes, from 2024), each with its rules.
    for year, ruleset in ((2024, "lac2023_24"), (2025, "lac2024_25"), (2026, "lac2025_26")):
        out = _export(tmp_path, year)
        for table, name in ssda903.FILE_NAMES.items():
            with (out / name).open() as fh:
                assert next(csv.reader(fh)) == column_names[table], table
        report = validate_dir(out, year=year)
        assert report.ruleset == ruleset
        assert report.rules_run > 200
        assert [(f.rule, f.la_child_id, f.record) for f in report.errors] == []
        assert len(_rows(out, "Header")) > 50 and len(_rows(out, "OC2")) > 20
        assert len(_rows(out, "SWEpisodes")) > 40
    assert _rows(out, "PlacedAdoption") and _rows(out, "PrevPerm")


def _errors(tmp_path, year, rules):
    report = validate_dir(_export(tmp_path, year), year=year, rules=rules)
    assert report.rules_run == len(rules) and not report.rules_not_run
    return [(f.rule, f.la_child_id) for f in report.errors]


def test_missing_at_31_march_is_open_in_the_return_and_not_an_error(tmp_path, sw):
    # The library's own loop lets rule 165 fill the blank DEC in place, after which 575 and
    # 577 call a child still missing at 31 March in a still-open episode an error.
    period = looked_after(ChildFactory(), sw, on=date(2024, 5, 1))
    missing_record(period=period, by=sw, kind="M", started_on=date(2025, 3, 30))
    out = _export(tmp_path, 2025)
    assert _rows(out, "Missing")[0]["MIS_END"] == ""
    assert _errors(tmp_path, 2025, ["165", "575", "577"]) == []
    assert MissingEpisode.objects.get().ended_on is None


def test_care_leavers_17_and_18_only_when_they_left_before_the_birthday(tmp_path, sw):
    left_at_18 = ChildFactory(date_of_birth=date(2006, 10, 1))
    p = looked_after(left_at_18, sw, on=date(2021, 1, 4), legal_status="C2")
    care_end(period=p, by=sw, ended_on=date(2024, 10, 1), reason_ceased="E17")
    left_at_16 = ChildFactory(date_of_birth=date(2006, 11, 1))
    p = looked_after(left_at_16, sw, on=date(2021, 1, 4), legal_status="C2")
    care_end(period=p, by=sw, ended_on=date(2023, 1, 9), reason_ceased="E4A")
    for child in (left_at_18, left_at_16):
        leaver = leavers.care_leaver_start(child=child, by=sw, on=date(2024, 10, 2))
        leavers.leaver_contact_record(
            leaver=leaver,
            by=sw,
            contacted_on=date(2024, 10, 20),
            in_touch="YES",
            activity="F2",
            accommodation="D1",
        )
    out = _export(tmp_path, 2025)
    oc3 = _rows(out, "OC3")
    assert [(r["CHILD"], r["IN_TOUCH"], r["ACTIV"], r["ACCOM"]) for r in oc3] == [
        (left_at_16.la_child_id, "YES", "F2", "D1")]  # fmt: skip
    # The care leaver is in the Header though not looked after in the year (INT06), without
    # motherhood details (628).
    header = {r["CHILD"]: r for r in _rows(out, "Header")}
    assert header[left_at_16.la_child_id]["MOTHER"] == ""
    assert _errors(tmp_path, 2025, ["1016", "1007", "153", "INT06", "628"]) == []


def test_a_reversed_adoption_decision_is_returned_in_its_year_only(tmp_path, sw):
    period = looked_after(ChildFactory(date_of_birth=date(2022, 2, 1)), sw,
                          on=date(2022, 6, 1), legal_status="C2")  # fmt: skip
    plan = adoption.adoption_decide(period=period, by=sw, decided_on=date(2022, 10, 3))
    adoption.adoption_reverse(plan=plan, by=sw, reversed_on=date(2023, 6, 5), reason="RD3")
    care_end(period=period, by=sw, ended_on=date(2024, 6, 3), reason_ceased="E4A")
    this_year = _rows(_export(tmp_path, 2024), "PlacedAdoption")
    assert [(r["DATE_PLACED"], r["DATE_PLACED_CEASED"], r["REASON_PLACED_CEASED"])
            for r in this_year] == [("03/10/2022", "05/06/2023", "RD3")]  # fmt: skip
    assert _rows(_export(tmp_path, 2025), "PlacedAdoption") == []
    assert _errors(tmp_path, 2025, ["118", "557"]) == []


def test_codes_follow_the_year_of_the_return(tmp_path, sw):
    school_age = ChildFactory(date_of_birth=date(2016, 9, 14), upn="", upn_unknown_reason="UN6",
                              sex="M")  # fmt: skip
    toddler = ChildFactory(date_of_birth=date(2023, 1, 5), upn="", upn_unknown_reason="UN6",
                           sex="F")  # fmt: skip
    for child in (school_age, toddler):
        looked_after(child, sw, on=date(2023, 5, 2))
    header = {r["CHILD"]: r for r in _rows(_export(tmp_path, 2024), "Header")}
    assert (header[school_age.la_child_id]["UPN"], header[school_age.la_child_id]["SEX"]) == (
        "UN5", "1")  # fmt: skip
    assert (header[toddler.la_child_id]["UPN"], header[toddler.la_child_id]["SEX"]) == ("UN1", "2")
    assert _errors(tmp_path, 2024, ["101", "168", "209"]) == []
    header = {r["CHILD"]: r for r in _rows(_export(tmp_path, 2025), "Header")}
    assert header[toddler.la_child_id]["SEX"] == "F"
    assert _errors(tmp_path, 2025, ["101", "168", "209"]) == []


RETURN_2025 = {
    "Header": [
        ["A00000001", "F", "10/01/2015", "WBRI", "A12345678901B", "0", ""],
        ["A00000002", "M", "01/10/2007", "MWBC", "B12345678901C", "", ""],
        ["A00000003", "M", "05/03/2020", "WBRI", "UN1", "", ""],
        ["A00000004", "M", "05/03/2012", "WBRI", "C12345678901D", "", ""],
        ["A00000005", "M", "12/06/2021", "WBRI", "UN1", "", ""],
        ["A00000006", "F", "02/02/2022", "WBRI", "UN1", "", ""],
    ],
    "Episodes": [
        ["A00000001", "01/05/2024", "S", "C2", "N1", "U6", "PR1", "01/09/2024", "X1", "CHILD",
         "SO23 8UJ", "SO22 5PJ", "SC123456"],
        ["A00000001", "01/09/2024", "P", "C2", "N1", "U4", "PR4", "", "", "", "SO23 8UJ",
         "SO50 4PH", "SC654321"],
        ["A00000002", "01/02/2023", "S", "V2", "N5", "U6", "PR1", "01/06/2024", "E4A", "",
         "SO23 8UJ", "SO22 5PJ", "SC123456"],
        ["A00000003", "01/05/2024", "S", "C2", "N1", "U6", "PR1", "", "", "", "SO23 8UJ",
         "SO22 5PJ", "SC123456"],
        # Says a change of legal status only (L), but the placement changed too.
        ["A00000004", "01/05/2024", "S", "C1", "N1", "U6", "PR1", "01/07/2024", "X1", "CHILD",
         "SO23 8UJ", "SO22 5PJ", "SC123456"],
        ["A00000004", "01/07/2024", "L", "C2", "N1", "U4", "PR1", "", "", "", "SO23 8UJ",
         "SO50 4PH", "SC654321"],
        # Placement order (E1), then the move to the adopters (A6), then adopted (E11).
        ["A00000005", "01/06/2024", "S", "C2", "N1", "U6", "PR1", "02/09/2024", "X1", "",
         "SO23 8UJ", "SO22 5PJ", "SC123456"],
        ["A00000005", "02/09/2024", "L", "E1", "N1", "U6", "PR1", "03/12/2024", "X1", "CARPL",
         "SO23 8UJ", "SO22 5PJ", "SC123456"],
        ["A00000005", "03/12/2024", "P", "E1", "N1", "A6", "PR1", "20/03/2025", "E11", "",
         "SO23 8UJ", "SO50 4PH", "SC654321"],
        ["A00000006", "01/05/2024", "S", "C2", "N1", "U6", "PR1", "", "", "", "SO23 8UJ",
         "SO22 5PJ", "SC123456"],
    ],
    "Reviews": [
        ["A00000001", "10/01/2015", "20/05/2024", "PN1"],
        ["A00000001", "10/01/2015", "20/08/2024", "PN6"],
        ["A00000002", "01/10/2007", "15/04/2024", "PN1"],
    ],
    "Missing": [["A00000001", "10/01/2015", "M", "10/10/2024", "11/10/2024"]],
    "PrevPerm": [["A00000001", "10/01/2015", "Z1", "", ""],
                 ["A00000003", "05/03/2020", "Z1", "", ""],
                 ["A00000004", "05/03/2012", "Z1", "", ""],
                 ["A00000005", "12/06/2021", "P2", "850", "01/02/2023"],
                 ["A00000006", "02/02/2022", "Z1", "", ""]],
    "OC3": [["A00000002", "01/10/2007", "YES", "F2", "D1"]],
    "PlacedAdoption": [["A00000003", "05/03/2020", "01/09/2024", "", ""],
                       ["A00000005", "12/06/2021", "15/07/2024", "", ""],
                       ["A00000006", "02/02/2022", "01/08/2024", "", ""]],
    "AD1": [["A00000005", "12/06/2021", "15/07/2024", "01/11/2024", "0", "2", "MF", "L11"],
            # The decision date disagrees with PlacedAdoption's.
            ["A00000006", "02/02/2022", "01/07/2024", "01/09/2024", "0", "1", "F1", "L0"]],
}  # fmt: skip
LOADED = ("A00000001", "A00000002", "A00000003", "A00000005")


def _write_return(directory, tables):
    directory.mkdir()
    for table, name in ssda903.FILE_NAMES.items():
        with (directory / name).open("w", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(column_names[table])
            writer.writerows(tables.get(table, []))


def test_import_then_export_gives_back_the_same_rows_and_refuses_whole_children(tmp_path):
    source = tmp_path / "return"
    _write_return(source, RETURN_2025)
    out = StringIO()
    call_command("import_ssda903", str(source), stdout=out)
    assert "Loaded 4 children, refused 2." in out.getvalue()
    assert "Refused A00000004: the episode from 01/07/2024 says RNE L" in out.getvalue()
    assert "Refused A00000006: AD1 says the decision to place for adoption was 01/07/2024" in (
        out.getvalue())  # fmt: skip
    # Refused whole: nothing of the refused children was kept.
    assert not Child.objects.filter(la_child_id__in=["A00000004", "A00000006"]).exists()
    # The adoption went through the adoption services: each step is on the plan.
    plan = AdoptionPlan.objects.get(child__la_child_id="A00000005")
    assert (plan.status, plan.placement_order_on, plan.placed_on, plan.adopted_on) == (
        "adopted", date(2024, 9, 2), date(2024, 12, 3), date(2025, 3, 20))  # fmt: skip
    exported = _export(tmp_path, 2025)
    for table, columns in column_names.items():
        if table not in ssda903.FILE_NAMES:
            continue
        expected = [dict(zip(columns, row, strict=True)) for row in RETURN_2025.get(table, [])
                    if row[0] in LOADED]  # fmt: skip
        assert _rows(exported, table) == expected, table


def test_the_returns_page_checks_in_the_background_and_downloads_for_administrators_only(
    client, sw, django_capture_on_commit_callbacks
):
    """Fault: the checks page ran the validator inside the web request (30 s on the demo)."""
    period = looked_after(ChildFactory(), sw, on=date(2024, 5, 1))
    care_review_record(period=period, by=sw, held_on=date(2024, 5, 20),
                                participation="PN1")  # fmt: skip
    admin = User.objects.create_user(username="admin-903", password="x", role=Role.ADMINISTRATOR)
    url = reverse("returns:ssda903_checks", args=[2025])
    client.force_login(sw)
    assert client.get(url).status_code == 403 and client.post(url).status_code == 403
    client.force_login(admin)
    assert "has not been checked yet" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(url).status_code == 302
        client.post(url)  # asked twice while queued: still one run
    run = CensusCheckRun.objects.get()
    assert (run.return_type, run.year, run.status, len(queued)) == ("ssda903", 2025, "queued", 1)
    page = client.get(url).content.decode()
    assert "Checks running" in page and "392" not in page
    with tasks_in_process("the page is read for the run's findings straight after"):
        queued[0]()  # the request's on-commit hook: sends the Celery task, run here
    run.refresh_from_db()
    assert (run.status, run.ruleset, run.children) == ("done", "lac2024_25", 1)
    page = client.get(url).content.decode()
    # The builders' placement postcode is not a real one: the validator says so, per child.
    assert "Checks running" not in page
    assert period.child.la_child_id in page and "392" in page
    assert reverse("child", args=[period.child_id]) in page
    # The CIN census checks of the same year are another return: none is running.
    assert CensusCheckRun.objects.filter(return_type="cin_census").count() == 0
    download = client.get(reverse("returns:ssda903_download", args=[2025]))
    with zipfile.ZipFile(BytesIO(download.content)) as archive:
        assert sorted(archive.namelist()) == sorted(ssda903.FILE_NAMES.values())
        header = archive.read("header.csv").decode().splitlines()
    assert header[0] == ",".join(column_names["Header"]) and len(header) == 2


def test_annex_a_lists_care_leavers_and_adoptions_as_at_the_as_of_date(tmp_path, sw):
    child = ChildFactory(date_of_birth=date(2005, 6, 1))
    p = looked_after(child, sw, on=date(2020, 3, 2), legal_status="C2")
    care_end(period=p, by=sw, ended_on=date(2023, 6, 1), reason_ceased="E17")
    leaver = leavers.care_leaver_start(child=child, by=sw, on=date(2023, 6, 2),
                                       personal_adviser="Sam Okafor")  # fmt: skip
    leavers.pathway_review_record(leaver=leaver, by=sw, held_on=date(2024, 12, 2))
    leavers.leaver_contact_record(leaver=leaver, by=sw, contacted_on=date(2025, 1, 6),
                                  in_touch="YES", activity="F5", accommodation="W2")  # fmt: skip
    leavers.leaver_contact_record(
        leaver=leaver, by=sw, contacted_on=date(2025, 5, 20), in_touch="NO"
    )  # after the as-of date: not known then
    young = looked_after(ChildFactory(date_of_birth=date(2022, 2, 1)), sw,
                         on=date(2022, 6, 1), legal_status="C2")  # fmt: skip
    plan = adoption.adoption_decide(period=young, by=sw, decided_on=date(2024, 7, 1))
    adoption.adoption_reverse(plan=plan, by=sw, reversed_on=date(2025, 5, 2), reason="RD1")
    out = tmp_path / "annex.xlsx"
    call_command("export_annex_a", "--as-of", "2025-03-31", "--out", str(out), stdout=StringIO())
    wb = load_workbook(out)

    def rows(title):
        ws = wb[title]
        header = [c.value for c in ws[1]]
        return [
            dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
        ]

    (row,) = rows("List 9 Care Leavers")
    assert (row["Child Unique ID"], row["Allocated Personal Advisor"]) == (
        child.la_child_id, "Sam Okafor")  # fmt: skip
    assert row["Eligibility Category"] == "Former relevant (18 to 25)"
    assert row["Latest Pathway Plan Review Date"].date() == date(2024, 12, 2)
    assert row["Latest Date of Contact"].date() == date(2025, 1, 6)
    assert (row["Accommodation Type"], row["Is the Accommodation Suitable"]) == (
        "Bed and breakfast", "No")  # fmt: skip
    (row,) = rows("List 10 Adoption")
    decided = row["Date of Decision that Child Should be Placed for Adoption"]
    assert decided.date() == date(2024, 7, 1)
    # Reversed after the as-of date: not known then.
    assert row["Date of Decision that Child Should No Longer be Placed for Adoption"] is None
    assert row["Reason Why Child No Longer Placed for Adoption"] in ("", None)

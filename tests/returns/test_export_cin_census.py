from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from lxml import etree

from accounts.models import Role, User
from casework import services
from casework.models import Assessment, AssessmentOutcome
from metrics.returns import cin_xml
from metrics.returns.service import census_check, census_export

pytestmark = pytest.mark.django_db

STAMP = datetime(2025, 5, 1, 9, 0, 0, tzinfo=ZoneInfo("Europe/London"))


def test_the_export_of_a_small_authority_validates_against_the_schema(small_authority, tmp_path):
    result = census_export(year=2025, out=tmp_path / "cin.xml", generated_at=STAMP)

    assert result.schema_errors == []
    doc = etree.parse(str(result.path))
    ids = doc.xpath("/Message/Children/Child/ChildIdentifiers/LAchildID/text()")
    expected = sorted(
        small_authority[k].la_child_id
        for k in ("closed_nfa", "cp_plan", "unborn", "referral_nfa", "s47_no_icpc")
    )
    assert ids == expected  # out-of-scope and entered-in-error children are left out
    assert doc.findtext("Header/Source/LEA") == "999"
    assert doc.findtext("Header/CollectionDetails/ReferenceDate") == "2025-03-31"
    assert doc.findtext("Header/Source/DateTime") == "2025-05-01T09:00:00"


def test_the_export_carries_each_census_item(small_authority, tmp_path):
    result = census_export(year=2025, out=tmp_path / "cin.xml", generated_at=STAMP)
    doc = etree.parse(str(result.path))
    cp = small_authority["cp_plan"].la_child_id
    child = doc.xpath(f"//Child[ChildIdentifiers/LAchildID='{cp}']")[0]
    details = child.find("CINdetails")
    assert details.findtext("CINreferralDate") == "2024-01-15"
    assert details.findtext("ReferralNFA") == "false"
    assert details.find("CINclosureDate") is None
    assert [e.findtext("CINPlanEndDate") for e in details.iterfind("CINPlanDates")] == [
        "2024-09-03"
    ]
    s47 = details.find("Section47")
    assert s47.findtext("DateOfInitialCPC") == "2024-09-04"
    # 15 working days from 14/08/2024, skipping the 26 August bank holiday
    assert s47.findtext("InitialCPCtarget") == "2024-09-05"
    plan = details.find("ChildProtectionPlans")
    assert plan.findtext("CPPstartDate") == "2024-09-04"
    assert plan.findtext("InitialCategoryOfAbuse") == "EMO"
    assert plan.findtext("NumberOfPreviousCPP") == "0"
    assert plan.xpath("Reviews/CPPreviewDate/text()") == ["2024-12-04"]
    unborn = small_authority["unborn"].la_child_id
    ids = doc.xpath(f"//Child[ChildIdentifiers/LAchildID='{unborn}']/ChildIdentifiers")[0]
    assert ids.findtext("Sex") == "U"
    assert ids.find("GenderCurrent") is None
    assert ids.findtext("ExpectedPersonBirthDate") == "2025-06-01"
    assert ids.find("PersonBirthDate") is None


def test_the_small_authority_passes_every_pre_submission_check(small_authority):
    assert census_check(year=2025) == []


def _authorise(assessment: Assessment, *, on: date, factors: list[str]) -> Assessment:
    """Seen, completed, submitted and authorised on ``on`` through the services, by a worker
    and a manager."""
    worker = User.objects.create_user(username="census-sw", role=Role.SOCIAL_WORKER)
    manager = User.objects.create_user(username="census-tm", role=Role.TEAM_MANAGER)
    a = services.assessment_record_child_seen(assessment=assessment, by=worker, seen_on=on)
    a = services.assessment_complete(
        assessment=a, by=worker, completed_on=on, outcome=AssessmentOutcome.CIN_PLAN,
        factors=factors,
    )  # fmt: skip
    a = services.assessment_submit(assessment=a, by=worker, submitted_on=on)
    return services.assessment_authorise(assessment=a, by=manager, authorised_on=on)


def test_an_assessment_authorised_after_the_reference_date_is_unfinished_without_factors(
    small_authority, tmp_path
):
    child = small_authority["unborn"]
    _authorise(Assessment.objects.get(child=child), on=date(2025, 4, 10), factors=["3B"])

    result = census_export(year=2025, out=tmp_path / "cin.xml", generated_at=STAMP)

    assert result.schema_errors == []
    [ass] = etree.parse(str(result.path)).xpath(
        f"//Child[ChildIdentifiers/LAchildID='{child.la_child_id}']//Assessments"
    )
    assert ass.findtext("AssessmentActualStartDate") == "2025-02-04"
    assert ass.find("AssessmentAuthorisationDate") is None
    assert ass.find("FactorsIdentifiedAtAssessment") is None
    assert census_check(year=2025) == []


def test_export_queries_are_constant_per_batch(
    small_authority, tmp_path, django_assert_max_num_queries
):
    # authority, child ids, children, then one query per prefetched relation (10)
    with django_assert_max_num_queries(13):
        census_export(year=2025, out=tmp_path / "cin.xml", generated_at=STAMP)


def test_the_command_writes_a_valid_file(small_authority, tmp_path):
    out = StringIO()
    call_command(
        "export_cin_census", "--year", "2025", "--out", str(tmp_path / "c.xml"), stdout=out
    )
    assert "Wrote 5 children" in out.getvalue()
    assert cin_xml.schema_errors(tmp_path / "c.xml") == []

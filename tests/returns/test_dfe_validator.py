"""The DfE-community validator (csc-validator-be-cin) on Caseflow's CIN census exports.

The acceptance test runs the library's own rules, each census year with its own ruleset, on
a generated authority covering two census years. The other tests take one rule the demo
authority used to break, show the validator flagging the failing case and show the fix.
"""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from casework import rules
from casework.errors import DomainError
from casework.generator.people import upn_check_letter
from casework.models import Child
from casework.services import child_update
from metrics.returns.dfe_validator import ruleset_name, validate_file
from metrics.returns.importer import import_user
from metrics.returns.service import census_export, census_validate
from referrals.models import Referral
from referrals.services import referral_close
from tests.returns import builders

pytestmark = pytest.mark.django_db

STAMP = datetime(2026, 5, 1, 9, 0, 0, tzinfo=ZoneInfo("Europe/London"))


def _export(tmp_path, year=2025, name="cin.xml"):
    return census_export(year=year, out=tmp_path / name, generated_at=STAMP).path


def _rules(report, la_child_id=None):
    return {f.rule for f in report.findings if la_child_id in (None, f.la_child_id)}


def _edit(path, tmp_path, change) -> str:
    """A copy of the export with ``change(doc)`` applied: the failing case, as a file."""
    doc = etree.parse(str(path))
    change(doc)
    out = tmp_path / "changed.xml"
    doc.write(str(out), encoding="UTF-8", xml_declaration=True)
    return out


# -- acceptance: two census years of a generated authority, each with its own ruleset -------


def test_a_generated_authority_has_zero_validator_errors_in_two_census_years(tmp_path):
    call_command(
        "generate_authority", "--scale", "tiny", "--years", "2", "--seed", "1",
        "--end-date", "2026-03-31", stdout=StringIO(),
    )  # fmt: skip

    for year in (2025, 2026):
        report = validate_file(_export(tmp_path, year, f"cin-{year}.xml"), year=year)

        assert report.ruleset == {2025: "cin2024_25", 2026: "cin2025_26"}[year]
        assert report.rules_not_run == []
        assert report.rules_run > 100
        assert report.counts("error") == {}, [f.__dict__ for f in report.errors[:5]]
    # The identity faults the validator used to find are gone at the source too.
    assert not Child.objects.filter(upn_unknown_reason="UN7").exists()
    assert not Child.objects.exclude(upn="").exclude(upn__regex=r"^.850").exists()
    assert not Child.objects.filter(
        date_of_birth__isnull=False, expected_date_of_birth__isnull=False
    ).exists()
    assert not Referral.objects.filter(closure_reason="RC8", s47s__isnull=False).exists()


def test_each_return_year_has_its_own_ruleset():
    assert ruleset_name(2025) == "cin2024_25"
    assert ruleset_name(2026) == "cin2025_26"


# -- 4180: <Sex> M/F/U, not <GenderCurrent> --------------------------------------------------


def test_4180_gender_current_fails_and_sex_passes(small_authority, tmp_path):
    path = _export(tmp_path)

    def to_gender_current(doc):
        for sex in doc.iter("Sex"):
            sex.tag, sex.text = "GenderCurrent", {"M": "1", "F": "2", "U": "0"}[sex.text]

    assert "4180" in _rules(validate_file(_edit(path, tmp_path, to_gender_current), year=2025))
    assert "4180" not in _rules(validate_file(path, year=2025))
    assert etree.parse(str(path)).xpath("//ChildIdentifiers/Sex/text()")


# -- 2990: no activity after an RC8 closure -------------------------------------------------


def test_2990_rc8_after_an_s47_is_flagged_and_the_service_refuses_it(tmp_path):
    builders.authority()
    # As a source system might hold it (the shared builder writes what Caseflow refuses):
    # closed RC8 after an s47.
    child = builders.child(upn_unknown_reason="UN4")
    ref = builders.referral(child, date(2024, 5, 7), closed_on=date(2024, 7, 1),
                            closure_reason="RC8")  # fmt: skip
    builders.assessment(ref, date(2024, 5, 8), date(2024, 6, 3))
    builders.s47(ref, date(2024, 5, 20), not_required=True)
    report = validate_file(_export(tmp_path), year=2025)
    assert "2990" in _rules(report, child.la_child_id)

    # The same episode open in Caseflow: its closure service refuses RC8 and takes RC7.
    ref = builders.referral(builders.child(upn_unknown_reason="UN4"), date(2024, 5, 7))
    builders.assessment(ref, date(2024, 5, 8), date(2024, 6, 3))
    builders.s47(ref, date(2024, 5, 20), not_required=True)
    with pytest.raises(DomainError, match="RC7"):
        referral_close(referral=ref, by=import_user(), closed_on=date(2024, 7, 1), reason="RC8")
    referral_close(referral=ref, by=import_user(), closed_on=date(2024, 7, 1), reason="RC7")
    report = validate_file(_export(tmp_path, name="b.xml"), year=2025)
    assert "2990" not in _rules(report, ref.child.la_child_id)


def test_the_generator_and_the_closure_form_take_the_same_rc8_decision():
    assert rules.closure_reason_after_assessment(early_help=False, activity=False) == "RC8"
    assert rules.closure_reason_after_assessment(early_help=True, activity=False) == "RC9"
    assert rules.closure_reason_after_assessment(early_help=False, activity=True) == "RC7"
    with pytest.raises(DomainError):
        rules.closure_fits_activity("RC8", ["a section 47 enquiry"])


# -- 8772: UN7 means "referral with no further action" ---------------------------------------


def test_8772_un7_on_a_child_with_further_action_is_flagged(small_authority, tmp_path):
    child = small_authority["closed_nfa"]
    Child.objects.filter(pk=child.pk).update(upn="", upn_unknown_reason="UN7")
    Referral.objects.filter(child=child).update(nfa=False)

    assert "8772" in _rules(validate_file(_export(tmp_path), year=2025), child.la_child_id)

    Child.objects.filter(pk=child.pk).update(upn_unknown_reason="UN4")
    assert "8772" not in _rules(validate_file(_export(tmp_path, name="b.xml"), year=2025))


# -- 8520 / 8750: identity as at the census date ---------------------------------------------


def test_8520_8750_a_child_born_after_31_march_is_exported_unborn(tmp_path):
    builders.authority()
    child = builders.child(
        date_of_birth=date(2025, 5, 2), sex="M", upn_unknown_reason="UN6", disabilities=["NONE"]
    )
    ref = builders.referral(child, date(2025, 2, 3), primary_need="")
    builders.assessment(ref, date(2025, 2, 4))

    path = _export(tmp_path)
    ids = etree.parse(str(path)).find(".//ChildIdentifiers")

    assert ids.findtext("PersonBirthDate") is None
    assert ids.findtext("ExpectedPersonBirthDate") == "2025-05-02"
    assert ids.findtext("Sex") == "U"
    assert ids.findtext("UPNunknown") == "UN8"
    found = _rules(validate_file(path, year=2025), child.la_child_id)
    assert not found & {"8520", "8750", "8610"}

    def as_today(doc):
        el = doc.find(".//ChildIdentifiers/ExpectedPersonBirthDate")
        el.tag = "PersonBirthDate"
        doc.find(".//ChildIdentifiers/Sex").text = "M"

    assert "8520" in _rules(validate_file(_edit(path, tmp_path, as_today), year=2025))


# -- 1530: a real LA code in UPNs ------------------------------------------------------------


def test_1530_a_upn_on_la_code_999_is_flagged_and_a_real_code_passes(tmp_path):
    builders.authority("850")
    bad = builders.child(upn=_upn("999202400011"))  # LA 999: not a real LA code
    builders.referral(bad, date(2024, 5, 1), nfa=True, primary_need="")
    report = validate_file(_export(tmp_path), year=2025)
    assert "1530" in _rules(report, bad.la_child_id)

    Child.objects.filter(pk=bad.pk).update(upn=_upn("850202400011"))
    report = validate_file(_export(tmp_path, name="b.xml"), year=2025)
    assert not _rules(report, bad.la_child_id) & {"1510", "1530"}
    assert etree.parse(str(tmp_path / "b.xml")).findtext(".//LEA") == "850"


def _upn(twelve: str) -> str:
    return upn_check_letter(twelve) + twelve


# -- date of death, RC2 ----------------------------------------------------------------------


def test_a_death_is_recorded_with_its_rules_and_an_rc2_closure_exports(tmp_path):
    builders.authority("850")
    child = builders.child(upn_unknown_reason="UN4")
    ref = builders.referral(child, date(2024, 5, 7))
    builders.assessment(ref, date(2024, 5, 8), date(2024, 6, 3))
    by = import_user()

    with pytest.raises(DomainError, match="date of death"):
        referral_close(referral=ref, by=by, closed_on=date(2024, 9, 2), reason="RC2")
    with pytest.raises(DomainError) as before_birth:
        child_update(child=child, by=by, version=child.version, date_of_death=date(2014, 1, 1))
    assert before_birth.value.field == "date_of_death"

    child = child_update(child=child, by=by, version=child.version, date_of_death=date(2024, 9, 1))
    with pytest.raises(DomainError):
        referral_close(referral=ref, by=by, closed_on=date(2024, 8, 30), reason="RC2")
    referral_close(referral=ref, by=by, closed_on=date(2024, 9, 2), reason="RC2")

    path = _export(tmp_path)
    doc = etree.parse(str(path))
    assert doc.findtext(".//PersonDeathDate") == "2024-09-01"
    assert doc.findtext(".//ReasonForClosure") == "RC2"
    report = validate_file(path, year=2025)
    assert report.errors == []
    assert "8585Q" not in _rules(report)


# -- check_cin_census: the library's rules, per child and rule, on the page and the command --


def test_check_cin_census_lists_validator_errors_and_queries_with_meaning(
    small_authority, tmp_path
):
    child = small_authority["closed_nfa"]
    Child.objects.filter(pk=child.pk).update(upn="", upn_unknown_reason="UN7")
    Referral.objects.filter(child=child).update(nfa=False)
    out = StringIO()

    with pytest.raises(CommandError, match="errors"):
        call_command("check_cin_census", "--year", "2025", "--xlsx", str(tmp_path / "r.xlsx"),
                     stdout=out)  # fmt: skip

    text = out.getvalue()
    assert "cin2024_25" in text
    assert f"{child.la_child_id}\t8772\tChildIdentifiers UPNunknown = UN7" in text
    assert "Queries:" in text
    assert (tmp_path / "r.xlsx").exists()
    assert "Valid against" not in text


def test_check_cin_census_says_no_errors_only_after_the_dfe_rules(small_authority):
    out = StringIO()
    call_command("check_cin_census", "--year", "2025", stdout=out)

    assert "No errors under the cin2024_25 rules." in out.getvalue()


def test_the_checks_page_shows_each_error_with_the_record_to_fix(
    client, admin_user, small_authority, settings, tmp_path, check_now
):
    settings.MEDIA_ROOT = tmp_path
    child = small_authority["closed_nfa"]
    Child.objects.filter(pk=child.pk).update(upn="", upn_unknown_reason="UN7")
    Referral.objects.filter(child=child).update(nfa=False)
    client.force_login(admin_user)
    check_now(2025)

    page = client.get(reverse("returns:checks", args=[2025])).content.decode()
    result = census_validate(year=2025)

    assert "cin2024_25" in page
    assert "ChildIdentifiers UPNunknown = UN7" in page
    assert reverse("child", args=[child.pk]) in page
    assert f"Errors: {len(result.report.errors)}" in page
    assert "structural check only" in page


@pytest.mark.celery_eager("the export job's stored checks are read back in this test")
def test_an_export_job_keeps_its_checks_for_the_page(
    client, admin_user, small_authority, settings, tmp_path, check_now, export_now
):
    settings.MEDIA_ROOT = tmp_path
    child = small_authority["closed_nfa"]
    Child.objects.filter(pk=child.pk).update(upn="", upn_unknown_reason="UN7")
    Referral.objects.filter(child=child).update(nfa=False)
    client.force_login(admin_user)
    _, job = export_now("returns:home", {"year": "2025"})
    Child.objects.filter(pk=child.pk).update(upn_unknown_reason="UN4")  # fixed since

    stored = client.get(reverse("returns:checks", args=[2025])).content.decode()
    check_now(2025)  # a background check of the records as they are now, newer than the export
    now = client.get(reverse("returns:checks", args=[2025])).content.decode()

    assert job.status == "done" and job.check_findings >= 1 and job.ruleset == "cin2024_25"
    assert "ran on the export finished" in stored and "UPNunknown = UN7" in stored
    assert "UPNunknown = UN7" not in now and "Errors: 0" in now


# -- import: another system's file, on an empty installation, and back out again ------------

OTHER_SYSTEM = """<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://www.example.org/other-system/cin">
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
      <ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>850</LEA><SoftwareCode>OtherCMS</SoftwareCode>
      <Release>7.2</Release><SerialNo>014</SerialNo><DateTime>2026-04-20T17:03:11</DateTime></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>OS1001</LAchildID>
        <UPNunknown>UN4</UPNunknown>
        <PersonBirthDate>2013-02-11</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-06-02</CINreferralDate>
        <ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <CINclosureDate>2025-09-15</CINclosureDate>
        <ReasonForClosure>RC7</ReasonForClosure>
        <ReferralNFA>false</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2025-06-03</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-07-21</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>3B</AssessmentFactors>
            <AssessmentFactors>4B</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates><CINPlanStartDate>2025-07-22</CINPlanStartDate>
          <CINPlanEndDate>2025-09-15</CINPlanEndDate></CINPlanDates>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>OS1002</LAchildID>
        <UPNunknown>UN1</UPNunknown>
        <PersonBirthDate>2022-10-30</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>MWBC</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-11-10</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <ReferralNFA>false</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2025-11-10</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-12-19</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>16A</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Section47>
          <S47ActualStartDate>2025-11-12</S47ActualStartDate>
          <InitialCPCtarget>2025-12-03</InitialCPCtarget>
          <DateOfInitialCPC>2025-12-02</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ChildProtectionPlans>
          <CPPstartDate>2025-12-02</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>2026-02-25</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>OS1003</LAchildID>
        <UPNunknown>UN8</UPNunknown>
        <ExpectedPersonBirthDate>2026-05-20</ExpectedPersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2026-02-02</CINreferralDate>
        <ReferralSource>3B</ReferralSource>
        <ReferralNFA>false</ReferralNFA>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def _children(path) -> dict:
    """Children, episodes and dates as the census holds them (header aside)."""
    from metrics.returns import cin_xml

    return {
        rec.la_child_id: rec
        for rec in (cin_xml.child_from_element(el) for _h, el in cin_xml.iter_child_elements(path))
    }


def test_another_systems_file_loads_on_a_fresh_database_and_exports_the_same(tmp_path):
    from casework.models import Authority
    from metrics.returns.cin_xml import without_namespaces
    from metrics.returns.importer import census_import

    source = tmp_path / "other.xml"
    source.write_text(OTHER_SYSTEM)
    assert not Authority.objects.exists()

    report = census_import(paths=[source])

    # The unborn child recorded as male is refused whole, with the rule and the reason.
    assert sorted(report.loaded) == ["OS1001", "OS1002"]
    assert [r.la_child_id for r in report.rejected] == ["OS1003"]
    assert "sex" in " ".join(report.rejected[0].reasons).lower()
    assert not Child.objects.filter(la_child_id="OS1003").exists()
    assert Authority.objects.get().la_code == "850"

    again = census_export(year=2026, out=tmp_path / "again.xml", generated_at=STAMP).path
    (tmp_path / "plain").mkdir()
    plain = without_namespaces(source, tmp_path / "plain")
    exported, original = _children(again), _children(plain)
    assert exported == {k: v for k, v in original.items() if k != "OS1003"}
    assert validate_file(again, year=2026).errors == []

    second = census_import(paths=[source])
    assert second.loaded == [] and sorted(second.unchanged) == ["OS1001", "OS1002"]


def test_a_file_that_is_not_a_census_is_refused_with_a_reason(tmp_path):
    from metrics.returns.importer import census_import

    page = tmp_path / "page.xml"
    page.write_text("<html><body>Not a census</body></html>")
    other = tmp_path / "other.xml"
    other.write_text("<Message><Header><CollectionDetails><Collection>SWF</Collection>"
                     "</CollectionDetails></Header><Children/></Message>")  # fmt: skip
    broken = tmp_path / "broken.xml"
    broken.write_text("<Message><Header>")

    report = census_import(paths=[page, other, broken])

    assert len(report.rejected) == 3
    assert all("not a CIN census" in r.reasons[0] or "well-formed" in r.reasons[0]
               for r in report.rejected)  # fmt: skip
    assert not Child.objects.exists()


def test_setup_authority_sets_up_an_empty_installation_once():
    from casework.models import Authority

    out = StringIO()
    call_command("setup_authority", "--la-code", "850", "--name", "Hampshire", stdout=out)
    call_command("setup_authority", "--la-code", "850", "--name", "Hampshire", stdout=out)

    assert Authority.objects.get().la_code == "850"
    assert "Already set up" in out.getvalue()
    with pytest.raises(CommandError, match="already set up"):
        call_command("setup_authority", "--la-code", "851", "--name", "Other", stdout=out)
    Authority.objects.all().delete()
    with pytest.raises(CommandError, match="la_code"):
        call_command("setup_authority", "--la-code", "85", "--name", "Short", stdout=out)


# -- 1520: one UPN, one child ----------------------------------------------------------------


def test_1520_two_children_with_one_upn_are_flagged_and_the_service_refuses_it(tmp_path):
    import random

    from casework.generator.people import People
    from casework.services import child_create

    builders.authority("850")
    upn = _upn("850123425001")
    first = builders.child(upn=upn, upn_unknown_reason="")
    second = builders.child(upn=upn, upn_unknown_reason="")  # as another system wrote it
    for child in (first, second):
        builders.referral(child, date(2024, 5, 1), nfa=True, primary_need="")
    assert "1520" in _rules(validate_file(_export(tmp_path), year=2025), second.la_child_id)

    by = import_user()
    with pytest.raises(DomainError, match=first.la_child_id) as taken:
        child_create(by=by, la_child_id="C9", first_name="A", last_name="B", sex="F",
                     date_of_birth=date(2015, 6, 1), upn=upn)  # fmt: skip
    assert taken.value.field == "upn"
    with pytest.raises(DomainError, match=first.la_child_id):
        child_update(child=second, by=by, version=second.version, last_name="Other")
    child_update(child=second, by=by, version=second.version, upn="", upn_unknown_reason="UN5")
    assert "1520" not in _rules(validate_file(_export(tmp_path, name="b.xml"), year=2025))

    # The generator draws again rather than give a second child the same UPN.
    people = People(1, "850")
    drawn = {people.upn(random.Random(5), date(2015, 6, 1)) for _ in range(3)}
    assert len(drawn) == 3 and all(u[1:4] == "850" for u in drawn)

"""The CIN census of a generated authority (issue 5's "no census rule broken", seen by the
return itself): it validates against the schema, passes every pre-submission check and
survives an import and re-export (unchanged but for counts of plans before the file's year).
"""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from casework.generator.engine import LA_CODE
from casework.models import Child
from casework.scope import scope_drift
from metrics.returns import cin_xml
from metrics.returns.importer import census_import
from metrics.returns.service import census_check, census_export
from tests.returns import builders
from tests.support.shared_authority import generated_authority

pytestmark = pytest.mark.django_db

END = date(2025, 6, 30)
YEAR = 2025  # 1 April 2024 to 31 March 2025, inside the generated year
STAMP = datetime(2025, 5, 1, 9, 0, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(scope="module")
def census(django_db_setup, django_db_blocker, tmp_path_factory):
    """The generated authority's census export and its check findings; the authority
    itself is gone when the tests run (built once per run, tests/support/shared_authority)."""
    path = tmp_path_factory.mktemp("census") / "first.xml"
    with generated_authority(django_db_blocker, seed=5, end=END):
        result = census_export(year=YEAR, out=path, generated_at=STAMP)
        findings = census_check(year=YEAR)
        exported = Child.objects.count()
    return SimpleNamespace(result=result, findings=findings, exported=exported)


def test_a_generated_authority_exports_a_valid_census_with_no_check_findings(census):
    result = census.result

    assert result.schema_errors == []
    assert cin_xml.schema().validate(etree.parse(str(result.path)))
    children = etree.parse(str(result.path)).xpath("/Message/Children/Child")
    assert len(children) > 200
    assert census.findings == []


def test_a_generated_authoritys_census_round_trips_through_the_importer(census, tmp_path):
    first = census.result
    assert Child.objects.count() == 0 < census.exported
    builders.authority(LA_CODE)  # the generated authority's code, in the header

    report = census_import(paths=[first.path])
    again = census_export(year=YEAR, out=tmp_path / "again.xml", generated_at=STAMP)

    assert [r.reasons for r in report.rejected] == []
    assert len(report.loaded) > 200
    # Stamped once at the import's end (casework.scope.stamping_deferred), all of it.
    assert set(scope_drift().values()) == {0}
    # Plans from before the file's year are in no file, so a one-year import cannot count
    # them: NumberOfPreviousCPP is the only item that may come back lower.
    assert _without_previous_plans(again.path) == _without_previous_plans(first.path)
    before, after = _previous_plans(first.path), _previous_plans(again.path)
    assert len(after) == len(before) and all(a <= b for a, b in zip(after, before, strict=True))


def _previous_plans(path) -> list[int]:
    return [int(n) for n in etree.parse(str(path)).xpath("//NumberOfPreviousCPP/text()")]


def _without_previous_plans(path) -> bytes:
    doc = etree.parse(str(path))
    for el in doc.xpath("//NumberOfPreviousCPP"):
        el.getparent().remove(el)
    return etree.tostring(doc)

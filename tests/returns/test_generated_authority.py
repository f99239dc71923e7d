"""The CIN census of a generated authority (issue 5's "no census rule broken", seen by the
return itself): it validates against the schema and passes every pre-submission check.
"""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from lxml import etree

from metrics.returns import cin_xml
from metrics.returns.service import census_check, census_export

pytestmark = pytest.mark.django_db

END = date(2025, 6, 30)
YEAR = 2025  # 1 April 2024 to 31 March 2025, inside the generated year
STAMP = datetime(2025, 5, 1, 9, 0, 0, tzinfo=ZoneInfo("Europe/London"))


def _generate():
    call_command(
        "generate_authority", "--scale", "tiny", "--seed", "5", "--end-date", END.isoformat(),
        stdout=StringIO(),
    )  # fmt: skip


def test_a_generated_authority_exports_a_valid_census_with_no_check_findings(tmp_path):
    _generate()

    result = census_export(year=YEAR, out=tmp_path / "cin.xml", generated_at=STAMP)

    assert result.schema_errors == []
    assert cin_xml.schema().validate(etree.parse(str(result.path)))
    children = etree.parse(str(result.path)).xpath("/Message/Children/Child")
    assert len(children) > 200
    assert census_check(year=YEAR) == []

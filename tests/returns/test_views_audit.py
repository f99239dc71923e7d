"""Issue 16 finding 7: return downloads and the census checks page audit each child."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from casework.models import Child
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def _exported(user) -> list[int]:
    rows = AuditEvent.objects.filter(user=user, action=AuditEvent.Action.EXPORT)
    return sorted(rows.values_list("child_id", flat=True))


def _ids(la_child_ids) -> list[int]:
    return sorted(Child.objects.filter(la_child_id__in=la_child_ids).values_list("pk", flat=True))


def test_a_cin_census_download_audits_each_child_in_the_file(
    client, ada, small_authority, export_now
):
    _, job = export_now("returns:home", {"year": "2025"})

    with CaptureQueriesContext(connection) as captured:
        download = client.get(reverse("returns:download", args=[job.id]))
    xml = b"".join(download.streaming_content).decode()

    in_file = set(re.findall(r"<LAchildID>([^<]+)</LAchildID>", xml))
    assert in_file and _exported(ada) == _ids(in_file)
    inserts = [q for q in captured.captured_queries if "INSERT" in q["sql"].upper()]
    assert len(inserts) == 1  # set-based: one statement, whatever the size


def test_an_annex_a_download_audits_each_child_in_the_workbook(
    client, ada, small_authority, export_now
):
    _, job = export_now("returns:annex_a", {"as_of": "31/03/2025"})

    download = client.get(reverse("returns:download", args=[job.id]))
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))

    in_file = {
        row[0]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert in_file and _exported(ada) == _ids(in_file)


def test_the_census_checks_page_audits_each_child_it_names(client, ada, small_authority, check_now):
    # A primary need missing where an assessment finished: a real finding to show.
    Referral.objects.filter(child=small_authority["unborn"]).update(primary_need="")
    check_now(2025)

    response = client.get(reverse("returns:checks", args=[2025]))
    assert response.status_code == 200
    named = {pk for _, pk in [*response.context["errors"], *response.context["queries"]] if pk}
    viewed = AuditEvent.objects.filter(user=ada, action=AuditEvent.Action.VIEW)
    assert named and set(viewed.values_list("child_id", flat=True)) == named
    assert client.get(reverse("returns:checks", args=[2025]) + "?format=xlsx").status_code == 200
    assert named <= set(_exported(ada))

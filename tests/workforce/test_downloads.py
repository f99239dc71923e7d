"""The supervision queue and the audit list are django-tables2 tables that a manager
downloads whole as CSV or XLSX: text a spreadsheet would run as a formula stays text, and
each child named in a download is audited as exported."""

from datetime import date

import pytest

from accounts.models import AuditEvent, Role
from tests.metrics.tables import csv_rows, xlsx_sheets
from tests.ui import builders as ui
from tests.workforce import builders as w
from workforce.codes import AUDIT_QUESTIONS, Grade
from workforce.services import audits as A

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x")'


def _exported(user) -> set[int]:
    rows = AuditEvent.objects.filter(user=user, action=AuditEvent.Action.EXPORT)
    return set(rows.values_list("child", flat=True))


def test_the_supervision_queue_downloads_its_staff_and_its_overdue_cases(alice, mary, login):
    children = [r.child for r in ui.caseload(alice.worker, 2, referred_on=date(2025, 4, 1))]
    client = login(mary)
    page = client.get("/workforce/supervision/").content.decode()
    assert "table=staff&amp;format=csv" in page and "table=cases&amp;format=xlsx" in page

    staff = csv_rows(client.get("/workforce/supervision/?table=staff&format=csv").content)
    assert staff[0] == ["staff_id", "worker", "last_supervision", "next_due"]
    assert [r[1] for r in staff[1:]] == [alice.worker.full_name]
    assert _exported(mary) == set()  # no child in the staff list

    cases = client.get("/workforce/supervision/?table=cases&format=xlsx")
    assert cases["Content-Disposition"].endswith('.xlsx"')
    (sheet,) = xlsx_sheets(cases.content).values()
    assert sheet[0] == ["la_child_id", "child", "worker", "was_due"]
    assert sorted(r[1] for r in sheet[1:]) == sorted(c.full_name for c in children)
    assert _exported(mary) == {c.pk for c in children}


def test_the_audit_list_downloads_every_audit_with_formulas_kept_as_text(alice, mary, login):
    (child,) = [r.child for r in ui.caseload(alice.worker, 1, referred_on=date(2025, 4, 1))]
    answers = {key: Grade.GOOD for key, _, _ in AUDIT_QUESTIONS}
    A.audit_record(child=child, answers=answers, grade=Grade.GOOD, findings=FORMULA,
                   audited_on=date(2025, 6, 2), by=w.user(Role.AUDITOR))  # fmt: skip
    client = login(mary)
    assert "?format=csv" in client.get("/workforce/audits/").content.decode()
    rows = csv_rows(client.get("/workforce/audits/?format=csv").content)
    header, (row,) = rows[0], rows[1:]
    assert row[header.index("child")] == child.full_name
    assert row[header.index("grade")] == "Good"
    assert row[header.index("findings")] == "'" + FORMULA
    assert _exported(mary) == {child.pk}


def test_the_workforce_figures_download_a_row_per_team_and_the_authority(henry, team, login):
    client = login(henry)
    page = client.get("/workforce/").content.decode()
    assert 'data-measure="vacancy_rate"' in page and "format=xlsx" in page
    rows = csv_rows(client.get("/workforce/?format=csv").content)
    assert rows[0][:3] == ["team", "establishment_fte", "fte_in_post"]
    assert [r[0] for r in rows[1:]] == [team.name, "Authority"]


def test_the_supervision_queue_names_only_children_the_user_may_see(alice, mary, login, team):
    # Review finding: the overdue case list and its download took every open allocation of
    # the team, restricted children and business support users included.
    shown, hidden = [r.child for r in ui.caseload(alice.worker, 2, referred_on=date(2025, 4, 1))]
    ui.restrict(hidden, set_by=mary, users=[alice])
    client = login(mary)
    page = client.get(f"/workforce/supervision/?team={team.pk}").content.decode()
    assert shown.full_name in page and hidden.full_name not in page
    sheet = csv_rows(
        client.get(f"/workforce/supervision/?team={team.pk}&table=cases&format=csv").content
    )
    assert [r[1] for r in sheet[1:]] == [shown.full_name]
    assert _exported(mary) == {shown.pk}

    bea = ui.user_with_worker("bea", Role.BUSINESS_SUPPORT, team)
    client = login(bea)
    page = client.get(f"/workforce/supervision/?team={team.pk}")
    assert page.status_code == 200
    assert shown.full_name not in page.content.decode()
    assert "table=cases" not in page.content.decode()
    download = client.get(f"/workforce/supervision/?team={team.pk}&table=cases&format=csv")
    assert download.status_code == 403
    assert _exported(bea) == set()

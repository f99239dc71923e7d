"""Issue 23: a social worker sees their own records at risk of breaching a timeliness KPI
first on My work (the clock is pinned to Monday 16 June 2025)."""

from datetime import date

from accounts.models import AuditEvent
from tests.ui import builders


def test_my_work_lists_my_records_due_in_the_next_10_working_days_first(alice, olive, login):
    # Referred Monday 14 April 2025: 45 working days (Easter and both May bank holidays
    # excluded) is Friday 20 June, inside the horizon that ends Monday 30 June.
    mine = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 14))
    builders.assessments(mine)
    later = builders.caseload(alice.worker, 1, referred_on=date(2025, 5, 1))
    builders.assessments(later)  # due in July: not yet at risk
    theirs = builders.caseload(olive.worker, 1, referred_on=date(2025, 4, 14))
    builders.assessments(theirs)
    body = login(alice).get("/my-work/").content.decode()
    start = body.index('id="at-risk"')
    panel = body[start : body.index("</dl>", start)]
    assert start < body.index("<table")  # before the full list of steps
    assert f"/children/{mine[0].child_id}/" in panel and "20 Jun 2025" in panel
    assert f"/children/{later[0].child_id}/" not in panel
    assert f"/children/{theirs[0].child_id}/" not in panel
    # One row for the assessment, naming both indicators it counts in.
    assert panel.count("Assessment to authorise") == 1
    assert "Assessments authorised within 45 working days of referral" in panel
    assert AuditEvent.objects.filter(child_id=mine[0].child_id).exists()


def test_my_work_says_when_nothing_is_at_risk(alice, login):
    body = login(alice).get("/my-work/").content.decode()
    assert "Nothing of yours is at risk" in body


def test_the_manager_sees_the_teams_records_at_risk_on_the_queue(alice, mary, olive, login):
    mine = builders.caseload(alice.worker, 1, referred_on=date(2025, 4, 14))
    builders.assessments(mine)
    theirs = builders.caseload(olive.worker, 1, referred_on=date(2025, 4, 14))
    builders.assessments(theirs)  # another team's
    body = login(mary).get("/queues/authorisation/").content.decode()
    panel = body[body.index('id="at-risk"') :]
    assert f"/children/{mine[0].child_id}/" in panel
    assert f"/children/{theirs[0].child_id}/" not in panel

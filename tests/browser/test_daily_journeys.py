"""One browser journey per daily job, from sign-in, as the role that does it. Each asserts
the outcome in the database and the number of page loads (the job's click budget, kept
in the README): a job that starts needing more pages fails here first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from casework import calendar
from casework.models import (
    Allocation,
    Assessment,
    CaseNote,
    Child,
    Section47Enquiry,
    ServiceArea,
    Team,
    Visit,
)
from referrals.models import Contact, Referral
from referrals.services import referral_close
from tests.support.browser import axe_violations, shows
from tests.ui import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


class Loads:
    """Counts full page loads (a POST answered by a redirect is one load)."""

    def __init__(self, page):
        self.n = 0
        page.on("load", lambda _: self._add())

    def _add(self):
        self.n += 1


def _sign_in(page, live_server, user) -> Loads:
    user.set_password(PASSWORD)
    user.save()
    loads = Loads(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return loads


def _fill_date(page, prefix, day):
    page.fill(f"#id_{prefix}_0", str(day.day))
    page.fill(f"#id_{prefix}_1", str(day.month))
    page.fill(f"#id_{prefix}_2", str(day.year))


def _working_day():
    day = timezone.localdate()
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def people(db):
    builders.authority()
    team = Team.objects.create(name="Assessment 1", service_area=ServiceArea.ASSESSMENT)
    other = builders.team("Safeguarding 2")
    return {
        "sw": builders.user_with_worker("sw", Role.SOCIAL_WORKER, team),
        "tm": builders.user_with_worker("tm", Role.TEAM_MANAGER, team),
        "other": builders.user_with_worker("olga", Role.SOCIAL_WORKER, other),
    }


def test_tm_records_a_contact_about_two_siblings_one_new_and_screens_it(live_server, page, people):
    day = _working_day()
    (known,) = builders.caseload(people["other"].worker, 1, referred_on=day - timedelta(days=90))
    Child.objects.filter(pk=known.child_id).update(first_name="Ruby", last_name="Marsh")
    # Closed through the service, which ends the allocation the same day.
    referral_close(referral=known, by=people["tm"], closed_on=day - timedelta(days=5), reason="RC8")
    loads = _sign_in(page, live_server, people["tm"])
    page.goto(f"{live_server.url}/front-door/")
    page.click("a:has-text('Record a contact')")
    page.fill("#id_q", "marsh")
    page.click("button:has-text('Search')")
    assert axe_violations(page) == []
    page.click("#identity-results a:has-text('Add')")
    _fill_date(page, "received_on", day)
    page.fill("#id_received_time", "00:00")  # before now at any hour the suite runs
    page.select_option("#id_source", "2A")
    page.fill("#id_new_first_name", "Leo")
    page.fill("#id_new_last_name", "Marsh")
    _fill_date(page, "new_date_of_birth", day - timedelta(days=3 * 365))
    page.select_option("#id_new_sex", "M")
    page.fill("#id_reason", "School: Ruby says her brother Leo was hit at home")
    page.click("button:has-text('Save')")
    shows(page, "Contact recorded")
    page.click("a:has-text('Decide')")
    shows(page, "Ruby says her brother Leo was hit at home")
    assert axe_violations(page) == []
    leo = Child.objects.get(first_name="Leo", last_name="Marsh")
    page.check(f"input[name=decision_{known.child_id}][value=referral]")
    page.check(f"input[name=decision_{leo.pk}][value=referral]")
    _fill_date(page, "decided_on", day)
    page.click("button:has-text('Save')")
    shows(page, "Screening decision recorded")
    contact = Contact.objects.get()
    assert contact.status == Contact.Status.DECIDED and contact.recorded_by == people["tm"]
    assert Referral.objects.filter(child__in=[known.child_id, leo.pk], status="open").count() == 2
    # login, home, front door, contact form, search, add, saved (front door), screening,
    # saved
    assert loads.n == 9


def test_tm_allocates_from_the_unallocated_queue(live_server, page, people):
    day = _working_day()
    (waiting,) = builders.episodes(builders.children(1, last_name="Waiting"), referred_on=day)
    loads = _sign_in(page, live_server, people["tm"])
    page.goto(f"{live_server.url}/unallocated/")
    page.click("main table a:has-text('Allocate')")
    assert axe_violations(page) == []
    page.check(f"input[name=worker][value='{people['sw'].worker.pk}']")
    _fill_date(page, "started_on", day)
    page.click("button:has-text('Allocate')")
    shows(page, "Case allocated")
    allocation = Allocation.objects.get(referral=waiting)
    assert allocation.worker == people["sw"].worker and allocation.started_on == day
    # login, home, unallocated queue, allocation page, saved (child record)
    assert loads.n == 5


def test_sw_finds_the_child_on_my_work_and_records_steps_a_note_and_a_visit(
    live_server, page, people
):
    day = _working_day()
    (referral,) = builders.caseload(people["sw"].worker, 1, referred_on=day - timedelta(days=10))
    (assessment,) = builders.assessments([referral], worker=people["sw"].worker)
    loads = _sign_in(page, live_server, people["sw"])
    page.goto(f"{live_server.url}/my-work/")
    assert referral.child.full_name in page.locator("table").first.inner_text()
    assert axe_violations(page) == []
    page.click("table >> nth=0 >> a:has-text('Assessment to be authorised')")
    _fill_date(page, "seen_on", day)
    page.click("button:has-text('Save')")
    shows(page, "Child seen recorded")
    page.goto(f"{live_server.url}/my-work/")
    page.click("table >> nth=0 >> a:has-text('Case note')")
    assert axe_violations(page) == []
    page.check("input[name=kind][value=phone]")
    _fill_date(page, "occurred_on", day)
    page.fill("#id_text", "Spoke to the health visitor: no concerns about weight.")
    page.click("button:has-text('Save')")
    shows(page, "Case note recorded")
    page.click(f"a:has-text('{referral.child.full_name}')")
    page.click("a:has-text('Record a visit')")
    page.check("input[name=kind][value=assessment]")
    _fill_date(page, "visited_on", day)
    page.check("input[name=child_seen][value=yes]")
    page.check("input[name=seen_alone][value=no]")
    page.fill("#id_notes", "Home warm and tidy.")
    page.click("button:has-text('Save')")
    shows(page, "Visit recorded")
    assessment.refresh_from_db()
    assert assessment.child_seen_on == day
    assert CaseNote.objects.get(child=referral.child).recorded_by == people["sw"]
    assert Visit.objects.get(child=referral.child).notes == "Home warm and tidy."
    # login, home, My work, seen form, saved, My work, note form, saved (My work),
    # child record, visit form, saved
    assert loads.n == 11


def test_tm_authorises_from_the_queue_seeing_the_assessment(live_server, page, people):
    day = _working_day()
    (referral,) = builders.caseload(people["sw"].worker, 1, referred_on=day - timedelta(days=30))
    (assessment,) = builders.assessments(
        [referral], status=Assessment.Status.SUBMITTED, worker=people["sw"].worker
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        child_seen_on=referral.referred_on, completed_on=day, submitted_on=day,
        outcome="cin_plan", factors=["3A"], summary="Father's drinking: a CIN plan is needed.",
    )  # fmt: skip
    loads = _sign_in(page, live_server, people["tm"])
    page.goto(f"{live_server.url}/queues/authorisation/")
    page.click("a:has-text('Authorise or return')")
    shows(page, "Father's drinking: a CIN plan is needed.", "Child in need plan")
    assert axe_violations(page) == []
    page.check("input[name=decision][value=authorise]")
    _fill_date(page, "decided_on", day)
    page.click("button:has-text('Save')")
    shows(page, "Assessment decision recorded")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
    assert assessment.authorised_by == people["tm"]
    # login, home, queue, decision page, saved (queue)
    assert loads.n == 5


def test_hos_drills_down_to_the_late_assessments_and_downloads_them(live_server, page, people):
    from datetime import date

    from metrics import periods as P
    from metrics import services
    from tests.metrics import builders as b

    hos = builders.user_with_worker("hos", Role.HEAD_OF_SERVICE, Team.objects.first())
    worker = people["sw"].worker
    late, on_time = [], []
    for day in (1, 2, 3):  # authorised 5 August: late from May, in time from late July
        for start, bucket in ((date(2024, 5, day), late), (date(2024, 7, day + 20), on_time)):
            ref = b.referral(b.child(), start)
            b.allocate(ref, worker, start)
            b.assessment(ref, start, authorised_on=date(2024, 8, 5), outcome="nfa")
            bucket.append(ref.child.la_child_id)
    services.kpi_snapshots_compute(periods=[P.parse("2024-08")], today=date(2024, 9, 30))
    loads = _sign_in(page, live_server, hos)
    page.goto(f"{live_server.url}/kpis/assessments_45wd_from_referral/?period=2024-08")
    with page.expect_navigation():
        page.click("a:has-text('denominator')")
    with page.expect_navigation():
        page.click("#show-filter a:has-text('Not in the numerator')")
    assert axe_violations(page) == []
    table = page.locator("#drilldown").inner_text()
    assert all(i in table for i in late) and not any(i in table for i in on_time)
    assert worker.full_name in table
    with page.expect_download() as download:
        page.click("a:has-text('CSV')")
    with open(download.value.path(), encoding="utf-8-sig") as f:
        text = f.read()
    assert all(i in text for i in late) and not any(i in text for i in on_time)
    assert "working days from referral" in text.splitlines()[0]
    # login, home, KPI page, denominator, the late ones (the download is not a page)
    assert loads.n == 5


def test_new_pages_have_no_accessibility_violations(live_server, page, people):
    """Pages the journeys above do not open: the s47 decision page, a decided assessment
    read only, a case note with errors, and the app's own 404 page."""
    day = _working_day()
    referrals = builders.caseload(people["sw"].worker, 2, referred_on=day - timedelta(days=30))
    (s47,) = builders.s47s(referrals[:1], held_on=day, status=Section47Enquiry.Status.SUBMITTED)
    (decided,) = builders.assessments(referrals[1:], status=Assessment.Status.AUTHORISED)
    _sign_in(page, live_server, people["tm"])
    for path in (f"/s47s/{s47.pk}/decision/", f"/assessments/{decided.pk}/decision/"):
        page.goto(f"{live_server.url}{path}")
        shows(page, "What you are signing")
        assert axe_violations(page) == []
    page.goto(f"{live_server.url}/children/{referrals[0].child_id}/case-note/")
    page.click("button:has-text('Save')")
    shows(page, "There is a problem")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/no-such-page/")
    assert axe_violations(page) == []

"""Early help in headless Chromium: a contact stepped down to early help at screening,
through the assessment, team around the family and plan, to a step-up that appears on
the front door with its history; every page checked with axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from casework import calendar
from earlyhelp.models import EarlyHelpEpisode
from referrals.models import Contact
from tests.browser.test_daily_work import _fill_date, _save_and_expect, _sign_in
from tests.support.browser import axe_violations, shows
from tests.ui import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contact_stepped_down_to_early_help_then_stepped_up_walk(live_server, page):
    builders.authority()
    mary = builders.user_with_worker("mary", Role.TEAM_MANAGER, builders.team("Front door"))
    # The last working day before today: a decision recorded for today is timed now,
    # which before 09:00 would fall before the contact received at 09:00.
    day = timezone.localdate() - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    (kid,) = builders.children(1, last_name="Walker")

    _sign_in(page, live_server, mary)
    page.goto(f"{live_server.url}/contacts/new/")
    _fill_date(page, "received_on", day)
    page.fill("#id_received_time", "00:00")  # before now at any hour the suite runs
    page.select_option("#id_source", "2A")
    page.fill("#id_children", kid.la_child_id)
    page.fill("#id_reason", "School worried about attendance")
    _save_and_expect(page, "Contact recorded")
    page.click("a:has-text('Decide')")
    shows(page, "not open to early help or social care")
    page.check(f"input[name=decision_{kid.pk}][value=early_help]")
    _fill_date(page, "decided_on", day)
    _save_and_expect(page, "Screening decision recorded")

    page.goto(f"{live_server.url}/early-help/")
    assert axe_violations(page) == []
    page.click("a:has-text('Walker')")
    shows(page, "Contact screened to early help")
    assert axe_violations(page) == []
    page.click("a:has-text('Start the early help assessment')")
    _fill_date(page, "consent_on", day)
    _fill_date(page, "started_on", day)
    page.select_option("#id_lead_agency", "school")
    page.fill("#id_lead_practitioner", "Pat Teacher")
    _save_and_expect(page, "Early help assessment started")
    page.click("a:has-text('Complete the early help assessment')")
    _fill_date(page, "completed_on", day)
    page.check("input[name=needs][value=education]")
    _save_and_expect(page, "Early help assessment completed")
    page.click("a:has-text('Add to the team around the family')")
    page.fill("#id_name", "Hali Visitor")
    page.select_option("#id_agency", "health_visitor")
    _fill_date(page, "joined_on", day)
    _save_and_expect(page, "Added to the team around the family")
    page.click("a:has-text('Start the family plan')")
    _fill_date(page, "started_on", day)
    _save_and_expect(page, "Family plan started")
    page.click("a:has-text('Step up to children')")
    _fill_date(page, "referred_on", timezone.localdate())
    page.fill("#id_reason", "Disclosure to the school nurse")
    _save_and_expect(page, "Stepped up: the contact is at the front door")

    episode = EarlyHelpEpisode.objects.get(child=kid)
    contact = Contact.objects.get(early_help_step_up=episode)
    assert "Pat Teacher (School)" in contact.reason
    page.goto(f"{live_server.url}/front-door/")
    shows(page, "Walker")
    page.goto(f"{live_server.url}/contacts/{contact.pk}/screen/")
    shows(page, "Stepped up from early help", "Open to early help")
    assert axe_violations(page) == []
    page.click("a:has-text('early help episode')")
    shows(page, "Stepped up to children")

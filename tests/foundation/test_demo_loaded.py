"""`make demo`'s load as a newcomer meets it: what it prints, and sw's and tm's week."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from tests.support.authority import rolled_back

pytestmark = [pytest.mark.usefixtures("requires_postgres"), pytest.mark.django_db]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`make demo`'s load (tiny, to 30 June 2025) once for the tests that only read it;
    what it printed; rolled back afterwards."""
    out = StringIO()
    with rolled_back(django_db_blocker):
        with override_settings(DEMO_PASSWORD=PASSWORD), pytest.MonkeyPatch.context() as env:
            env.delenv("PORT", raising=False)  # `make demo` serves on 8000
            call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-30", stdout=out)
        yield out.getvalue()


def test_load_demo_prints_the_url_the_four_logins_and_the_password(demo):
    printed = demo
    assert "http://127.0.0.1:8000/" in printed
    assert "correct-horse-battery-staple" in printed
    logins = {
        line.split()[0] for line in printed.splitlines() if line.startswith("  ") and line.strip()
    }
    assert {"sw", "tm", "hos", "admin"} <= logins
    # The printed password signs each of them in.
    for username in ("sw", "tm", "hos", "admin"):
        assert User.objects.get(username=username).check_password(PASSWORD)


def test_demo_sw_my_work_lists_every_child_allocated_to_sw_including_plans(demo, client):
    """The generated demo's ``sw``: every allocated child is on My work, and some are on
    child protection or child in need plans, so the daily jobs have work to do."""
    import time_machine

    from casework.models import Allocation

    sw = User.objects.get(username="sw")
    allocated = set(
        Allocation.objects.filter(
            worker=sw.worker, ended_on__isnull=True, entered_in_error=False
        ).values_list("child_id", flat=True)
    )
    assert allocated
    client.force_login(sw)
    with time_machine.travel("2025-06-30 12:00", tick=False):
        response = client.get("/my-work/")
    listed = {row.child.pk for row in response.context["caseload"].data.data}
    assert listed == allocated
    body = response.content.decode()
    assert all(f"/children/{pk}/" in body for pk in list(allocated)[:50])
    assert "Child protection plan" in body or "Child in need plan" in body


def test_demo_sw_has_work_overdue_and_work_due_this_week(demo, client):
    """The demo is alive on the day it is loaded: sw's My work shows something overdue
    and something due in the next few working days, from the domain's due-date rules."""
    import time_machine

    from casework.models import Deadline
    from casework.selectors.queues import assessments_awaiting_authorisation
    from casework.selectors.worktray import Kind
    from referrals.selectors import unallocated_referrals

    client.force_login(User.objects.get(username="sw"))
    with time_machine.travel("2025-06-30 12:00", tick=False):
        response = client.get("/my-work/")
    items = response.context["table"].data.data
    statuses = {item.status for item in items}
    assert Deadline.OVERDUE in statuses
    assert Deadline.DUE_SOON in statuses
    assert "Overdue" in response.content.decode()
    late = {item.kind for item in items if item.status == Deadline.OVERDUE}
    assert {Kind.ASSESSMENT, Kind.VISIT} <= late  # past 45 working days; a CP visit
    assert Kind.CIN_VISIT in {item.kind for item in items}
    # tm: an overdue assessment to authorise, cases waiting, a colleague on leave.
    tm = User.objects.get(username="tm")
    queue = assessments_awaiting_authorisation(user=tm, team=tm.worker.team)
    assert any(a.due_on < date(2025, 6, 30) for a in queue)
    waiting = unallocated_referrals(user=tm)
    assert waiting.exists()
    client.force_login(tm)
    with time_machine.travel("2025-06-30 12:00", tick=False):
        page = client.get(f"/referrals/{waiting.first().pk}/allocate/").content.decode()
    assert "On leave</strong> on leave until" in page

"""`make demo` prints where to go and how to sign in (load_demo's closing lines)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = [pytest.mark.usefixtures("requires_postgres"), pytest.mark.django_db]


def test_load_demo_prints_the_url_the_four_logins_and_the_password(settings, monkeypatch):
    settings.DEMO_PASSWORD = "correct-horse-battery-staple"
    monkeypatch.delenv("PORT", raising=False)  # `make demo` serves on 8000
    out = StringIO()

    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-30", stdout=out)

    printed = out.getvalue()
    assert "http://127.0.0.1:8000/" in printed
    assert "correct-horse-battery-staple" in printed
    logins = {
        line.split()[0] for line in printed.splitlines() if line.startswith("  ") and line.strip()
    }
    assert {"sw", "tm", "hos", "admin"} <= logins
    # The printed password signs each of them in.
    for username in ("sw", "tm", "hos", "admin"):
        assert User.objects.get(username=username).check_password("correct-horse-battery-staple")


def test_demo_sw_my_work_lists_every_child_allocated_to_sw_including_plans(settings, client):
    """The generated demo's ``sw``: every allocated child is on My work, and some are on
    child protection or child in need plans, so the daily jobs have work to do."""
    import time_machine

    from casework.models import Allocation

    settings.DEMO_PASSWORD = "correct-horse-battery-staple"
    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-30", stdout=StringIO())
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


def test_demo_sw_has_work_overdue_and_work_due_this_week(settings, client):
    """The demo is alive on the day it is loaded: sw's My work shows something overdue
    and something due in the next few working days, from the domain's due-date rules."""
    import time_machine

    from casework.models import Deadline
    from casework.selectors.queues import assessments_awaiting_authorisation
    from casework.selectors.worktray import Kind
    from referrals.selectors import unallocated_referrals

    settings.DEMO_PASSWORD = "correct-horse-battery-staple"
    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-30", stdout=StringIO())
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


def test_load_demo_on_a_later_day_regenerates_the_demo_up_to_that_day(settings, client):
    """`make demo` three days after the demo was loaded: the old demo's present has gone
    by, so it is regenerated and says so; the logins still work and sw's week is alive."""
    import time_machine

    from casework.models import Authority, Deadline, GeneratedHistory
    from referrals.models import Contact

    settings.DEMO_PASSWORD = "correct-horse-battery-staple"
    settings.DEMO_MODE = True
    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-27", stdout=StringIO())
    assert GeneratedHistory.objects.get().through.isoformat() == "2025-06-27"
    old_sw = User.objects.get(username="sw").pk
    User.objects.filter(username="sw").update(first_name="Changed in the old demo")

    out = StringIO()
    with time_machine.travel("2025-06-30 08:00", tick=False):  # a Monday, D + 3
        call_command("load_demo", "--scale", "tiny", stdout=out)

    printed = out.getvalue()
    assert "generated up to 27 June 2025: regenerating it" in printed
    assert "its present is 30 June 2025" in printed
    assert GeneratedHistory.objects.get().through.isoformat() == "2025-06-30"
    assert Authority.objects.count() == 1
    last = Contact.objects.order_by("-received_at").values_list("received_at", flat=True)[0]
    assert last.date().isoformat() > "2025-06-27"
    sw = User.objects.get(username="sw")
    assert sw.first_name != "Changed in the old demo" and sw.pk != old_sw
    assert sw.check_password("correct-horse-battery-staple")
    client.force_login(sw)
    with time_machine.travel("2025-06-30 12:00", tick=False):
        statuses = {i.status for i in client.get("/my-work/").context["table"].data.data}
    assert {Deadline.OVERDUE, Deadline.DUE_SOON} <= statuses


def test_outside_demo_mode_an_older_demo_is_kept_unless_refresh_is_asked(settings):
    from casework.models import GeneratedHistory

    settings.DEMO_MODE = False  # make serve: production-shaped, enrolled users are kept
    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-27", stdout=StringIO())
    out = StringIO()

    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-30", stdout=out)

    assert "Run load_demo --refresh to regenerate it up to today" in out.getvalue()
    assert GeneratedHistory.objects.get().through.isoformat() == "2025-06-27"


def test_a_councils_own_authority_is_never_emptied_or_regenerated(settings):
    from casework import demo_refresh
    from casework.models import Authority
    from tests.ui import builders

    settings.DEMO_MODE = True
    builders.authority()
    team = builders.team("Assessment 1")
    out = StringIO()

    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-30", stdout=out)

    assert "leaving its data as it is" in out.getvalue()
    assert team.__class__.objects.filter(pk=team.pk).exists()
    assert Authority.objects.count() == 1
    with pytest.raises(ValueError):
        demo_refresh.empty_generated_authority()

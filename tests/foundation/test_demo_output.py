"""`make demo` prints where to go and how to sign in (load_demo's closing lines)."""

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

    settings.DEMO_PASSWORD = "correct-horse-battery-staple"
    call_command("load_demo", "--scale", "tiny", "--end-date", "2025-06-30", stdout=StringIO())
    client.force_login(User.objects.get(username="sw"))
    with time_machine.travel("2025-06-30 12:00", tick=False):
        response = client.get("/my-work/")
    statuses = {item.status for item in response.context["table"].data.data}
    assert Deadline.OVERDUE in statuses
    assert Deadline.DUE_SOON in statuses
    assert "Overdue" in response.content.decode()

"""`make demo` on a later day, and outside demo mode (what it prints and what it keeps;
the first load as a newcomer meets it is in test_demo_loaded)."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = [pytest.mark.usefixtures("requires_postgres"), pytest.mark.django_db]


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

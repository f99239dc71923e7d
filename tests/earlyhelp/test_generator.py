"""Early help in a generated authority: volumes near the seeds', rows the services would
write (one open episode per child, nothing after the end date, closure with a reason)."""

import json
from datetime import date

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from earlyhelp.kpis import contacts_open_early_help
from earlyhelp.models import STEP_UP_SOURCE, EarlyHelpEpisode, EarlyHelpReview
from referrals.models import Contact, ContactChild
from tests.support.shared_authority import generated_authority

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requires_postgres")]
END = date(2025, 6, 30)


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker) -> str:
    """One authority for the module's tests, which only read it; what the command printed.
    Rolled back afterwards."""
    with generated_authority(django_db_blocker, seed=3, end=END) as output:
        yield output


def test_a_generated_authority_has_early_help_near_the_seeds_volumes(generated):
    episodes = EarlyHelpEpisode.objects.all()
    contacts = ContactChild.objects.filter(contact__received_at__date__gt=date(2024, 6, 30))
    assessed = episodes.filter(assessment_started_on__gt=date(2024, 6, 30)).count()
    # Early help assessments: about a third of children on contacts in a year (10-60%).
    assert 0.10 < assessed / contacts.count() < 0.60
    routes = dict(episodes.values_list("route").annotate(n=Count("pk")))
    assert {"contact", "step_down_assessment", "partner"} <= set(routes)
    closed = episodes.filter(closed_on__isnull=False)
    needs_met = closed.filter(closure_reason="needs_met").count() / closed.count()
    assert 0.4 < needs_met < 0.75
    # The services' rules hold: one open episode per child, nothing after the end date,
    # a plan only after an assessment, reviews after the plan.
    assert not episodes.values("child").filter(closed_on__isnull=True).annotate(
        n=Count("pk")).filter(n__gt=1).exists()  # fmt: skip
    late = Q(requested_on__gt=END) | Q(closed_on__gt=END) | Q(plan_started_on__gt=END)
    assert not episodes.filter(late).exists()
    assert not episodes.filter(plan_started_on__isnull=False, assessment_completed_on=None).exists()
    assert not EarlyHelpReview.objects.filter(held_on__gt=END).exists()
    assert EarlyHelpEpisode.history.filter(history_type="+").count() == episodes.count()
    assert not episodes.filter(team__isnull=True).exists()  # the front door team holds them


def test_each_generated_step_up_opens_a_contact_from_early_help_at_the_front_door(generated):
    # The rows reported are the rows written, step-up contacts included.
    rows = json.loads(generated.splitlines()[-1])["rows"]
    assert rows["referrals_contact"] == Contact.objects.count()
    stepped_up = EarlyHelpEpisode.objects.filter(closure_reason="stepped_up")
    assert stepped_up.exists()
    assert not stepped_up.filter(step_up_contact__isnull=True).exists()
    for episode in stepped_up.select_related("step_up_contact"):
        contact = episode.step_up_contact
        assert contact.source == STEP_UP_SOURCE
        assert timezone.localdate(contact.received_at) == episode.closed_on
        assert list(contact.children.values_list("child_id", flat=True)) == [episode.child_id]
        contact.full_clean(validate_unique=False, validate_constraints=False)
    # The KPI counts them as contacts about children open to early help.
    start = END.replace(year=END.year - 1)
    flow = contacts_open_early_help(start, END)
    counted = set(flow.qs.filter(flow.num).values_list("contact_id", flat=True))
    recent = stepped_up.filter(closed_on__gt=start).values_list("step_up_contact_id", flat=True)
    assert set(recent) <= counted

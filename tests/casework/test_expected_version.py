"""Services own their concurrency (issue 18 item 4): each record service a form or the API
edits takes the version its caller saw, locks the row and refuses a stale one, saving
nothing. One case per service family; the pages' and the API's stale tests go through
the same check (tests/ui/test_views_*.py, tests/api/test_writes.py)."""

from datetime import date

import pytest
from django.db.models import F

from care.services.reviews_visits import care_review_record
from casework import services
from casework.errors import ConflictError
from earlyhelp import services as earlyhelp
from referrals import services as front_door
from tests.care.builders import looked_after
from tests.factories import flows
from tests.factories.earlyhelp import S, episode_in

pytestmark = pytest.mark.django_db
DAY = date(2025, 5, 1)


def _s47(sw, tm, referral, child):
    s47 = flows.s47_in("open", referral=referral, worker_user=sw, manager=tm)
    return s47, lambda v: services.s47_submit_outcome(
        s47=s47, by=sw, ended_on=DAY, outcome="nfa", expected_version=v
    )


def _cin_plan(sw, tm, referral, child):
    plan = services.cin_plan_start(referral=referral, by=sw, started_on=referral.referred_on)
    return plan, lambda v: services.cin_plan_end(plan=plan, by=sw, ended_on=DAY,
                                                 expected_version=v)  # fmt: skip


def _episode(sw, tm, referral, child):
    return referral, lambda v: front_door.referral_close(
        referral=referral, by=tm, closed_on=DAY, reason="RC8", expected_version=v
    )


def _early_help(sw, tm, referral, child):
    episode = episode_in(S.REQUESTED, by=sw)
    return episode, lambda v: earlyhelp.episode_close(
        episode=episode, by=sw, closed_on=DAY, reason="needs_met", expected_version=v
    )


def _care(sw, tm, referral, child):
    period = looked_after(child, sw)
    return period, lambda v: care_review_record(
        period=period, by=sw, held_on=DAY, participation="PN1", expected_version=v
    )


@pytest.mark.parametrize("build", [_s47, _cin_plan, _episode, _early_help, _care])
def test_a_change_from_a_stale_version_is_refused_and_saves_nothing(build, sw, tm, referral, child):
    record, change = build(sw, tm, referral, child)
    seen = type(record).objects.get(pk=record.pk).version
    # Someone else saved the record after this user read it.
    type(record).objects.filter(pk=record.pk).update(version=F("version") + 1)
    history = record.history.count()
    with pytest.raises(ConflictError):
        change(seen)
    after = type(record).objects.get(pk=record.pk)
    assert (after.status, after.version, record.history.count()) == (
        record.status, seen + 1, history)  # fmt: skip
    assert change(seen + 1).pk is not None  # at the version it now has, the change is made

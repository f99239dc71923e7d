"""The scope stored on events (casework.scope): the team and worker allocated on each
event's date, written when the event or its episode's allocations are saved."""

from datetime import date
from importlib import import_module
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casework import services
from casework.models import Assessment
from casework.scope import scope_drift, stamping_deferred
from casework.services.common import save
from casework.signals import record_dated
from referrals.models import Referral
from tests.casework import records

pytestmark = pytest.mark.django_db

AUTHORISED_ON = date(2025, 3, 20)


@pytest.fixture
def announced():
    """(table, day) of each ``record_dated`` the re-stamping sends."""
    sent = []

    def receiver(sender, day, **kwargs):
        if isinstance(sender, str):
            sent.append((sender, day))

    record_dated.connect(receiver, dispatch_uid="test_event_scope")
    yield sent
    record_dated.disconnect(dispatch_uid="test_event_scope")


def _allocate(referral, tm, user, day):
    return services.case_allocate(referral=referral, by=tm, worker=user.worker, started_on=day)


def _scope(record) -> tuple:
    record.refresh_from_db()
    return record.scope_team_id, record.scope_worker_id


def test_events_before_the_first_allocation_are_stamped_with_it(referral, sw, tm):
    assessment = records.assessment(on=referral, authorised_on=AUTHORISED_ON)
    assert _scope(assessment) == _scope(referral) == (None, None)

    services.case_allocate(referral=referral, by=tm, worker=sw.worker, started_on=date(2025, 3, 5))

    assert _scope(referral) == _scope(assessment) == (sw.worker.team_id, sw.worker.pk)


def test_a_back_dated_reallocation_and_its_entry_in_error_restamp_the_events_after_it(
    referral, sw, sw2, tm, hos, announced
):
    services.case_allocate(
        referral=referral, by=tm, worker=sw.worker, started_on=referral.referred_on
    )
    assessment = records.assessment(on=referral, authorised_on=AUTHORISED_ON)
    assert _scope(assessment) == (sw.worker.team_id, sw.worker.pk)
    announced.clear()

    # Recorded today, from a date before the authorisation: the assessment moves to sw2;
    # the referral, dated before the new allocation, stays with sw.
    moved = services.case_allocate(
        referral=referral, by=tm, worker=sw2.worker, started_on=date(2025, 3, 10)
    )
    assert _scope(assessment) == (sw2.worker.team_id, sw2.worker.pk)
    assert _scope(referral) == (sw.worker.team_id, sw.worker.pk)
    assert announced == [(Assessment._meta.db_table, AUTHORISED_ON)]
    announced.clear()

    services.record_mark_entered_in_error(record=moved, by=hos, reason="Wrong worker")
    assert _scope(assessment) == (sw.worker.team_id, sw.worker.pk)
    assert announced == [(Assessment._meta.db_table, AUTHORISED_ON)]
    assert set(scope_drift().values()) == {0}


def test_an_event_whose_date_moves_is_restamped_by_its_save(referral, sw, sw2, tm):
    services.case_allocate(
        referral=referral, by=tm, worker=sw.worker, started_on=referral.referred_on
    )
    services.case_allocate(
        referral=referral, by=tm, worker=sw2.worker, started_on=date(2025, 3, 10)
    )
    assessment = records.assessment(on=referral, authorised_on=AUTHORISED_ON)
    assert _scope(assessment) == (sw2.worker.team_id, sw2.worker.pk)

    assessment.authorised_on = date(2025, 3, 7)
    save(assessment, by=tm, why="Corrected authorisation date")

    assert _scope(assessment) == (sw.worker.team_id, sw.worker.pk)


def test_the_data_migration_stamps_rows_written_before_the_columns(referral, sw, tm):
    services.case_allocate(
        referral=referral, by=tm, worker=sw.worker, started_on=referral.referred_on
    )
    assessment = records.assessment(on=referral, authorised_on=AUTHORISED_ON)
    Referral.objects.update(scope_team_id=None, scope_worker_id=None)
    Assessment.objects.update(scope_team_id=None, scope_worker_id=None)
    assert scope_drift()["casework_assessment.authorised_on"] == 1

    import_module("casework.migrations.0015_event_scope").stamp_existing_rows(None, None)

    assert set(scope_drift().values()) == {0}
    assert _scope(assessment) == _scope(referral) == (sw.worker.team_id, sw.worker.pk)


def test_the_command_finds_and_rewrites_a_scope_written_around_the_services(referral, sw, tm):
    _allocate(referral, tm, sw, referral.referred_on)
    assessment = records.assessment(on=referral, authorised_on=AUTHORISED_ON)
    Assessment.objects.update(scope_worker_id=None)  # a bulk correction in SQL, say

    with pytest.raises(CommandError, match="1 event rows have a wrong stored scope"):
        call_command("restamp_scope", "--check", stdout=StringIO())
    out = StringIO()
    call_command("restamp_scope", stdout=out)

    assert "Re-stamped 1 event rows" in out.getvalue()
    assert _scope(assessment) == (sw.worker.team_id, sw.worker.pk)
    call_command("restamp_scope", "--check", stdout=StringIO())


def test_saves_in_a_deferred_block_are_stamped_once_at_its_end(referral, sw, tm, announced):
    """The census importer's block: nothing is stamped save by save, everything at the end,
    and the tables whose stamps moved are announced as an allocation's save does."""
    assessment = records.assessment(on=referral, authorised_on=AUTHORISED_ON)
    with stamping_deferred():
        services.case_allocate(referral=referral, by=tm, worker=sw.worker,
                               started_on=date(2025, 3, 5))  # fmt: skip
        assert _scope(assessment) == (None, None)  # not yet
        assert set(scope_drift().values()) != {0}
    assert _scope(referral) == _scope(assessment) == (sw.worker.team_id, sw.worker.pk)
    assert set(scope_drift().values()) == {0}
    assert ("casework_assessment", AUTHORISED_ON) in announced

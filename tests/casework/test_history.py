"""History on every case record, written by every service; deletes are refused."""

from datetime import date

import pytest

from casework.models import Assessment, Child
from referrals.models import Referral
from tests.factories.flows import assessment_in

pytestmark = pytest.mark.django_db


def test_every_assessment_transition_leaves_a_history_row_naming_who_and_why(referral, sw, tm):
    a = assessment_in(Assessment.Status.AUTHORISED, referral=referral, worker_user=sw, manager=tm)
    rows = list(a.history.order_by("history_date", "history_id"))
    assert [r.status for r in rows] == [
        "in_progress",  # started
        "in_progress",  # child seen
        "completed",
        "submitted",
        "authorised",
    ]
    assert [r.version for r in rows] == [1, 2, 3, 4, 5]
    assert [r.history_user for r in rows] == [sw, sw, sw, sw, tm]
    assert rows[-1].history_change_reason.startswith("Authorised by")
    assert all(r.history_change_reason for r in rows)


def test_opening_a_referral_is_recorded(referral, sw):
    (row,) = referral.history.all()
    assert (row.history_type, row.history_user) == ("+", sw)


@pytest.mark.parametrize("model", [Referral, Assessment, Child])
def test_case_records_are_never_deleted(referral, sw, tm, model):
    assessment_in(Assessment.Status.IN_PROGRESS, referral=referral, worker_user=sw, manager=tm)
    record = model.objects.first()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        model.objects.all().delete()
    assert model.objects.filter(pk=record.pk).exists()


def test_a_long_reason_is_kept_on_the_record_and_shortened_in_history(referral, sw, tm):
    from casework import services

    a = assessment_in(Assessment.Status.SUBMITTED, referral=referral, worker_user=sw, manager=tm)
    reason = "Please add the views of the school, the GP and the health visitor. " * 3
    a = services.assessment_return(assessment=a, by=tm, returned_on=date(2025, 3, 7), reason=reason)
    assert a.return_reason == reason.strip()
    assert len(a.history.order_by("-history_id").first().history_change_reason) == 100

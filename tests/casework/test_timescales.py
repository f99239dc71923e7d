"""Closure days and the visit standard move open deadlines; finished steps keep theirs."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from casework import calendar, timescales
from casework.models import Assessment, ClosureDay, CoreGroup, Visit, VisitKind, WorkingDay
from casework.timescales import authority_update, closure_day_add, closure_day_remove
from casework.transitions import ASSESSMENT_AUTHORISED, status_after
from referrals.models import Contact
from tests.casework import records
from tests.casework.records import LONDON

pytestmark = pytest.mark.django_db

# Referral Monday 1 September 2025: 45 working days later is Monday 3 November 2025.
REFERRED_ON = date(2025, 9, 1)
CLOSED_ON = date(2025, 10, 15)  # a Wednesday inside the window


@pytest.fixture
def admin_user():
    return records.administrator()


@pytest.fixture
def open_assessment():
    return records.assessment(on=records.referral(referred_on=REFERRED_ON))


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_the_assessment_timescale_is_45_working_days_from_the_referral(open_assessment):
    assert open_assessment.due_on == date(2025, 11, 3)


def test_a_closure_day_inside_an_open_assessments_window_moves_it_a_working_day_later(
    open_assessment, admin_user
):
    closure_day_add(date=CLOSED_ON, reason="Staff training day", by=admin_user)

    reload(open_assessment)
    assert open_assessment.due_on == date(2025, 11, 4)
    assert open_assessment.dfe_due_on == date(2025, 11, 4)
    assert reload(open_assessment.referral).assessment_due_on == date(2025, 11, 4)


def test_removing_the_closure_day_moves_it_back(open_assessment, admin_user):
    closure = closure_day_add(date=CLOSED_ON, reason="Staff training day", by=admin_user)

    closure_day_remove(closure_day=closure, by=admin_user)

    assert reload(open_assessment).due_on == date(2025, 11, 3)
    assert ClosureDay.objects.count() == 0
    assert calendar.is_working_day(CLOSED_ON)
    assert WorkingDay.objects.get(date=CLOSED_ON).is_working_day


def test_an_authorised_assessment_keeps_the_date_it_was_measured_against(admin_user):
    done = records.assessment(
        on=records.referral(referred_on=REFERRED_ON),
        status=status_after(Assessment, *ASSESSMENT_AUTHORISED),
        authorised_on=date(2025, 10, 1),
    )

    closure_day_add(date=CLOSED_ON, reason="Staff training day", by=admin_user)

    assert reload(done).due_on == date(2025, 11, 3)
    assert reload(done.referral).assessment_due_on == date(2025, 11, 3)


def test_a_closure_day_after_the_deadline_changes_nothing(open_assessment, admin_user):
    counts = timescales.deadlines_recompute_open(by=admin_user)
    assert set(counts.values()) == {0}

    closure_day_add(date=date(2025, 11, 5), reason="Office move", by=admin_user)

    assert reload(open_assessment).due_on == date(2025, 11, 3)


def test_recomputed_dates_leave_a_history_row_naming_who_and_why(open_assessment, admin_user):
    closure_day_add(date=CLOSED_ON, reason="Staff training day", by=admin_user)

    latest = open_assessment.history.latest()
    assert latest.due_on == date(2025, 11, 4)
    assert latest.history_user == admin_user
    assert "Closure day added" in latest.history_change_reason


def test_contact_screening_counts_from_the_local_date_of_receipt(admin_user):
    # 23:30 UTC on Thursday 5 June 2025 is 00:30 on Friday 6 June in London (BST).
    late = records.contact(received_at=datetime(2025, 6, 5, 23, 30, tzinfo=UTC))
    decided = records.contact(
        received_at=datetime(2025, 6, 6, 10, 0, tzinfo=LONDON),
        status=status_after(Contact, "decide"),
    )
    assert late.screening_due_on == date(2025, 6, 9)

    closure_day_add(date=date(2025, 6, 9), reason="Closed for system upgrade", by=admin_user)

    assert reload(late).screening_due_on == date(2025, 6, 10)
    assert reload(decided).screening_due_on == date(2025, 6, 9)


def test_open_s47_and_its_scheduled_icpc_move_but_a_held_icpcs_enquiry_does_not(admin_user):
    # s47 from Monday 1 September 2025: ICPC due 15 working days later, Monday 22 September.
    waiting = records.s47(on=records.referral(referred_on=REFERRED_ON), started_on=REFERRED_ON)
    scheduled = records.icpc(for_s47=waiting, scheduled_for=date(2025, 9, 19))
    finished = records.s47(on=records.referral(referred_on=REFERRED_ON), started_on=REFERRED_ON)
    held = records.icpc(for_s47=finished, held_on=date(2025, 9, 18))

    closure_day_add(date=date(2025, 9, 10), reason="Staff training day", by=admin_user)

    assert reload(waiting).icpc_due_on == date(2025, 9, 23)
    assert reload(scheduled).due_on == date(2025, 9, 23)
    assert reload(finished).icpc_due_on == date(2025, 9, 22)
    assert reload(held).due_on == date(2025, 9, 22)


def test_first_core_group_moves_until_one_is_held(admin_user):
    plans = []
    for _ in range(2):
        s47 = records.s47(on=records.referral(referred_on=REFERRED_ON), started_on=REFERRED_ON)
        held = records.icpc(for_s47=s47, held_on=date(2025, 9, 15))
        plans.append(records.cp_plan(from_icpc=held))
    waiting, met = plans
    CoreGroup.objects.create(plan=met, held_on=date(2025, 9, 22))
    assert waiting.first_core_group_due_on == date(2025, 9, 29)

    closure_day_add(date=date(2025, 9, 24), reason="Staff training day", by=admin_user)

    assert reload(waiting).first_core_group_due_on == date(2025, 9, 30)
    assert reload(met).first_core_group_due_on == date(2025, 9, 29)


def test_next_cp_visit_counts_from_the_last_visit_at_which_the_child_was_seen(admin_user):
    authority = records.authority()
    s47 = records.s47(on=records.referral(referred_on=REFERRED_ON), started_on=REFERRED_ON)
    plan = records.cp_plan(from_icpc=records.icpc(for_s47=s47, held_on=date(2025, 9, 15)))
    for visited_on, seen in [(date(2025, 9, 19), True), (date(2025, 9, 26), False)]:
        Visit.objects.create(
            child=plan.child,
            referral=plan.referral,
            kind=VisitKind.CP,
            cp_plan=plan,
            visited_on=visited_on,
            child_seen=seen,
        )

    timescales.deadlines_recompute_open(by=admin_user)
    assert reload(plan).next_visit_due_on == date(2025, 10, 3)  # 10 WD after 19 September

    authority_update(authority=authority, by=admin_user, cp_visit_standard_working_days=5)
    assert reload(plan).next_visit_due_on == date(2025, 9, 26)
    assert reload(authority).history.latest().history_user == admin_user


def test_authority_update_refuses_an_unknown_setting(admin_user):
    authority = records.authority()
    with pytest.raises(ValidationError) as raised:
        authority_update(authority=authority, by=admin_user, colour="blue")
    assert raised.value.messages == [timescales.AUTHORITY_UNKNOWN_FIELD.format(name="colour")]


def test_authority_update_validates_the_visit_standard(admin_user):
    authority = records.authority()
    with pytest.raises(ValidationError) as raised:
        authority_update(authority=authority, by=admin_user, cp_visit_standard_working_days=0)
    assert "cp_visit_standard_working_days" in raised.value.message_dict
    assert reload(authority).cp_visit_standard_working_days == 10


@pytest.mark.parametrize(
    ("day", "reason", "field", "message"),
    [
        (date(2025, 10, 18), "Training", "date", timescales.CLOSURE_DAY_WEEKEND),
        (date(2025, 12, 25), "Training", "date", timescales.CLOSURE_DAY_BANK_HOLIDAY),
        (date(2046, 1, 2), "Training", "date", timescales.CLOSURE_DAY_OUT_OF_RANGE),
        (CLOSED_ON, "  ", "reason", timescales.CLOSURE_DAY_REASON_REQUIRED),
    ],
)
def test_a_closure_day_that_changes_nothing_is_refused(admin_user, day, reason, field, message):
    with pytest.raises(ValidationError) as raised:
        closure_day_add(date=day, reason=reason, by=admin_user)
    expected = message.format(
        day=day, name="Christmas Day", start=calendar.CALENDAR_START, end=calendar.CALENDAR_END
    )
    assert raised.value.message_dict == {field: [expected]}
    assert ClosureDay.objects.count() == 0


def test_the_same_closure_day_twice_is_refused(admin_user):
    closure_day_add(date=CLOSED_ON, reason="Training", by=admin_user)
    with pytest.raises(ValidationError) as raised:
        closure_day_add(date=CLOSED_ON, reason="Training", by=admin_user)
    assert raised.value.message_dict == {
        "date": [timescales.CLOSURE_DAY_EXISTS.format(day=CLOSED_ON)]
    }


def test_a_failed_recompute_leaves_no_closure_day_and_the_calendar_unchanged(
    open_assessment, admin_user, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(timescales, "deadlines_recompute_open", fail)
    with pytest.raises(RuntimeError):
        closure_day_add(date=CLOSED_ON, reason="Training", by=admin_user)

    assert ClosureDay.objects.count() == 0
    assert WorkingDay.objects.get(date=CLOSED_ON).is_working_day
    assert calendar.is_working_day(CLOSED_ON)
    assert reload(open_assessment).due_on == date(2025, 11, 3)


FRI_10 = datetime(2025, 9, 5, 10, tzinfo=LONDON)
SAT_10 = datetime(2025, 9, 6, 10, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("standard", "received_at", "due_on", "due_at"),
    [
        # The default: 1 working day from the date of receipt (Saturday counts as Friday).
        (("working_days", 1, "receipt"), FRI_10, date(2025, 9, 8), None),
        (("working_days", 1, "receipt"), SAT_10, date(2025, 9, 8), None),
        (("working_days", 0, "receipt"), FRI_10, date(2025, 9, 5), None),
        (("working_days", 0, "working_day"), SAT_10, date(2025, 9, 8), None),
        (("working_days", 1, "working_day"), SAT_10, date(2025, 9, 9), None),
        (("hours", 24, "receipt"), SAT_10, date(2025, 9, 7), SAT_10 + timedelta(hours=24)),
        (
            ("hours", 24, "working_day"),
            SAT_10,
            date(2025, 9, 9),
            datetime(2025, 9, 9, 0, tzinfo=LONDON),
        ),
        (("hours", 24, "working_day"), FRI_10, date(2025, 9, 6), FRI_10 + timedelta(hours=24)),
        # Elapsed hours across the clocks going back (26 October 2025 02:00 BST).
        (
            ("hours", 24, "receipt"),
            datetime(2025, 10, 25, 12, tzinfo=LONDON),
            date(2025, 10, 26),
            datetime(2025, 10, 26, 11, tzinfo=LONDON),
        ),
    ],
)
def test_screening_due_under_each_kind_of_standard(standard, received_at, due_on, due_at):
    standard = timescales.ScreeningStandard(*standard)
    assert timescales.screening_due_on(received_at, standard) == due_on
    assert timescales.screening_due_at(received_at, standard) == due_at


def test_the_default_standard_is_one_working_day_from_receipt():
    assert timescales.default_screening_standard() == timescales.ScreeningStandard(
        "working_days", timescales.SCREENING_WORKING_DAYS, "receipt"
    )
    assert timescales.screening_standard() == timescales.default_screening_standard()


def test_a_new_screening_standard_moves_open_contacts_only(admin_user):
    authority = records.authority()
    waiting = records.contact(received_at=FRI_10)
    decided = records.contact(
        received_at=FRI_10, decided_at=FRI_10, status=status_after(Contact, "decide")
    )
    assert reload(waiting).screening_due_on == date(2025, 9, 8)

    authority_update(
        authority=authority,
        by=admin_user,
        screening_standard_unit="working_days",
        screening_standard_amount=0,
    )

    assert reload(waiting).screening_due_on == date(2025, 9, 5)
    assert reload(decided).screening_due_on == date(2025, 9, 8)
    change = reload(waiting).history.latest()
    assert change.history_user == admin_user
    assert change.history_change_reason == "Screening standard changed to the same working day"

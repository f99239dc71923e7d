"""Reviews, statutory visits, health, PEPs, missing episodes, UASC: timescales on the calendar."""

from datetime import date

import pytest

from care import errors
from care.models import CareReview, CareVisit
from care.services.ending import care_end
from care.services.health_education import health_check_record, pep_record
from care.services.missing import missing_record, missing_return_record
from care.services.reviews_visits import (
    care_review_record,
    care_visit_frequency_set,
    care_visit_record,
)
from care.services.uasc import uasc_set
from casework.errors import DomainError, DomainPermissionError
from casework.models import ClosureDay
from tests.care.builders import FOSTER_B, looked_after
from tests.casework.helpers import assert_refused_unchanged
from tests.factories.casework import ChildFactory

pytestmark = pytest.mark.django_db


class TestReviews:
    def test_second_review_due_on_a_bank_holiday_comes_back_to_the_working_day_before(
        self, child, sw
    ):
        period = looked_after(child, sw, on=date(2025, 2, 3))
        first = care_review_record(
            period=period, by=sw, held_on=date(2025, 2, 26), participation="PN1"
        )
        assert (first.number, first.due_on) == (1, date(2025, 3, 3))  # 20 working days
        period.refresh_from_db()
        # 3 months after 26 February is Monday 26 May 2025, the spring bank holiday.
        assert period.next_review_due_on == date(2025, 5, 23)
        second = care_review_record(
            period=period, by=sw, held_on=date(2025, 5, 23), participation="PN6"
        )
        assert (second.number, second.due_on) == (2, date(2025, 5, 23))
        period.refresh_from_db()
        # Then 6-monthly: 23 November 2025 is a Sunday.
        assert period.next_review_due_on == date(2025, 11, 21)

    def test_an_authority_closure_day_moves_the_first_review(self, child, sw, administrator):
        from casework.timescales import closure_day_add

        closure_day_add(date=date(2025, 4, 25), reason="Staff training", by=administrator)
        period = looked_after(child, sw)
        assert period.next_review_due_on == date(2025, 5, 9)
        assert ClosureDay.objects.count() == 1

    def test_participation_code_follows_the_childs_age(self, sw):
        toddler = ChildFactory(date_of_birth=date(2023, 1, 1))
        period = looked_after(toddler, sw)
        assert_refused_unchanged(
            lambda: care_review_record(
                period=period, by=sw, held_on=date(2025, 5, 1), participation="PN1"
            ),
            period,
            errors.PARTICIPATION_UNDER_4,
        )
        assert care_review_record(
            period=period, by=sw, held_on=date(2025, 5, 1), participation="PN0"
        )
        older = looked_after(ChildFactory(), sw)
        with pytest.raises(DomainError) as refused:
            care_review_record(period=older, by=sw, held_on=date(2025, 5, 1), participation="PN0")
        assert refused.value.message == errors.PARTICIPATION_NOT_UNDER_4

    def test_not_before_the_period_nor_after_it_ends(self, child, sw):
        period = looked_after(child, sw)
        with pytest.raises(DomainError) as refused:
            care_review_record(period=period, by=sw, held_on=date(2025, 4, 1),
                                        participation="PN1")  # fmt: skip
        assert refused.value.field == "held_on"
        care_end(period=period, by=sw, ended_on=date(2025, 4, 30), reason_ceased="E4A")
        with pytest.raises(DomainError) as refused:
            care_review_record(period=period, by=sw, held_on=date(2025, 4, 20),
                                        participation="PN1")  # fmt: skip
        assert refused.value.message == errors.NOT_LOOKED_AFTER
        assert not CareReview.objects.exists()


class TestVisits:
    def test_first_within_a_week_then_six_weekly(self, child, sw):
        period = looked_after(child, sw)
        visit = care_visit_record(period=period, by=sw, visited_on=date(2025, 4, 11),
                                           child_seen=True, seen_alone=True)  # fmt: skip
        assert visit.due_on == date(2025, 4, 14) and visit.worker == sw.worker
        period.refresh_from_db()
        assert period.next_visit_due_on == date(2025, 5, 23)  # 6 weeks after 11 April

    def test_a_visit_where_the_child_was_not_seen_does_not_count(self, child, sw):
        period = looked_after(child, sw)
        care_visit_record(period=period, by=sw, visited_on=date(2025, 4, 11),
                                   child_seen=False, seen_alone=True)  # fmt: skip
        period.refresh_from_db()
        assert period.next_visit_due_on == date(2025, 4, 14)
        assert CareVisit.objects.get().seen_alone is False

    def test_long_term_placement_after_its_first_year_is_three_monthly(self, child, sw):
        period = looked_after(child, sw, on=date(2024, 3, 4), placement=FOSTER_B)
        care_visit_record(period=period, by=sw, visited_on=date(2025, 3, 10),
                                   child_seen=True)  # fmt: skip
        period.refresh_from_db()
        assert period.next_visit_due_on == date(2025, 6, 10)

    def test_a_manager_may_shorten_the_interval_within_the_legal_limit(self, child, sw, tm):
        period = looked_after(child, sw)
        care_visit_record(period=period, by=sw, visited_on=date(2025, 4, 11),
                                   child_seen=True)  # fmt: skip
        care_visit_frequency_set(period=period, by=tm, interval_days=14,
                                          reason="Placement at risk of breaking down")  # fmt: skip
        period.refresh_from_db()
        assert period.next_visit_due_on == date(2025, 4, 25)
        assert period.history.first().history_change_reason.startswith("Next statutory visit")
        refuse = care_visit_frequency_set
        assert_refused_unchanged(
            lambda: refuse(period=period, by=tm, interval_days=43, reason="Stable"),
            period,
            errors.INTERVAL_OUT_OF_RANGE.format(maximum=42),
        )
        assert_refused_unchanged(
            lambda: refuse(period=period, by=tm, interval_days=7, reason=""), period
        )
        with pytest.raises(DomainPermissionError):
            refuse(period=period, by=sw, interval_days=7, reason="Worried")


class TestHealthEducationMissing:
    def test_health_assessments_initial_by_first_review_then_yearly_from_five(self, child, sw):
        period = looked_after(child, sw)
        initial = health_check_record(period=period, by=sw, kind="initial",
                                               done_on=date(2025, 5, 9))  # fmt: skip
        assert initial.due_on == date(2025, 5, 8)  # one day late
        period.refresh_from_db()
        assert period.next_health_due_on == date(2026, 5, 9)
        with pytest.raises(DomainError) as refused:
            health_check_record(period=period, by=sw, kind="initial",
                                         done_on=date(2025, 5, 20))  # fmt: skip
        assert refused.value.field == "kind"
        dental = health_check_record(period=period, by=sw, kind="dental",
                                              done_on=date(2025, 5, 20))  # fmt: skip
        assert dental.due_on is None
        period.refresh_from_db()
        assert period.next_health_due_on == date(2026, 5, 9)

    def test_under_fives_are_reviewed_six_monthly(self, sw):
        period = looked_after(ChildFactory(date_of_birth=date(2022, 1, 1)), sw)
        health_check_record(period=period, by=sw, kind="initial",
                                     done_on=date(2025, 5, 1))  # fmt: skip
        period.refresh_from_db()
        assert period.next_health_due_on == date(2025, 11, 1)

    def test_pep_termly(self, child, sw):
        period = looked_after(child, sw)
        pep = pep_record(period=period, by=sw, held_on=date(2025, 4, 22))
        assert pep.due_on == date(2025, 4, 23)
        period.refresh_from_db()
        assert period.next_pep_due_on == date(2025, 8, 22)

    def test_missing_return_interview_due_in_72_hours(self, child, sw):
        period = looked_after(child, sw)
        missing = missing_record(period=period, by=sw, kind="M",
                                          started_on=date(2025, 5, 2))  # fmt: skip
        assert missing.return_interview_due_on is None
        with pytest.raises(DomainError) as refused:
            missing_return_record(missing=missing, by=sw, ended_on=date(2025, 5, 1))
        assert refused.value.message == errors.MISSING_ENDS_BEFORE_START
        missing = missing_return_record(
            missing=missing, by=sw, ended_on=date(2025, 5, 3), interview_on=date(2025, 5, 6)
        )
        assert missing.return_interview_due_on == date(2025, 5, 6)
        assert missing.return_interview_offered and missing.return_interview_on == date(2025, 5, 6)

    def test_uasc_status_and_the_date_it_ceased(self, child, sw):
        period = looked_after(child, sw, uasc=True)
        assert_refused_unchanged(
            lambda: uasc_set(period=period, by=sw, uasc=False,
                                      ceased_on=date(2025, 5, 1)),
            period,
            errors.UASC_CEASED_WITHOUT_STATUS,
        )  # fmt: skip
        uasc_set(period=period, by=sw, uasc=True, ceased_on=date(2025, 5, 1))
        period.refresh_from_db()
        assert period.uasc_ceased_on == date(2025, 5, 1)

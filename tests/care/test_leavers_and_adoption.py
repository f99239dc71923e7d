"""Care leavers (eligibility from the care history, pathway plans, birthday contacts) and the
adoption steps, through the services; their KPIs with known answers."""

from datetime import date

import pytest

from care import adoption, errors, leavers
from care.models import AdoptionPlan, CareEpisode, CareLeaver, LeaverContact
from care.services.ending import care_end
from care.services.placements import PlacementDetails
from casework.errors import DomainError
from metrics import periods as P
from metrics import services as metrics_services
from metrics.models import KpiSnapshot
from tests.care.builders import looked_after
from tests.factories.casework import ChildFactory

pytestmark = pytest.mark.django_db
ADOPTERS = PlacementDetails(place="A6", provider="PR1", postcode="SO23 8UJ", urn="SC123456",
                            carer="Adopters")  # fmt: skip


def _adopted(period, sw):
    """Decision, placement order, match, placement with adopters, adoption order."""
    plan = adoption.adoption_decide(period=period, by=sw, decided_on=date(2023, 9, 1))
    adoption.adoption_placement_order(plan=plan, by=sw, ordered_on=date(2023, 11, 1))
    adoption.adoption_match(plan=plan, by=sw, matched_on=date(2024, 3, 1), adopters_number=2,
                            adopters_sex="MF", adopters_legal_status="L11")  # fmt: skip
    adoption.adoption_place(plan=plan, by=sw, placed_on=date(2024, 3, 20), placement=ADOPTERS)
    return adoption.adoption_order(plan=plan, by=sw, ordered_on=date(2024, 9, 2))


def _care_leaver(sw, *, born, entered, left, reason="E8"):
    child = ChildFactory(date_of_birth=born)
    period = looked_after(child, sw, on=entered, legal_status="C2")
    care_end(period=period, by=sw, ended_on=left, reason_ceased=reason)
    return child


class TestEligibility:
    def test_13_weeks_from_14_with_time_at_16_is_former_relevant_at_18(self, sw):
        child = _care_leaver(sw, born=date(2005, 6, 1), entered=date(2021, 3, 1),
                             left=date(2023, 6, 1))  # fmt: skip
        assert leavers.eligibility(child, date(2024, 1, 1)) == "former_relevant"
        assert leavers.eligibility(child, date(2022, 1, 1)) == "eligible"

    def test_left_at_16_is_relevant_and_short_stays_only_qualify(self, sw):
        relevant = _care_leaver(sw, born=date(2007, 6, 1), entered=date(2023, 1, 1),
                                left=date(2023, 9, 1), reason="E4A")  # fmt: skip
        assert leavers.eligibility(relevant, date(2024, 1, 1)) == "relevant"
        brief = _care_leaver(sw, born=date(2007, 6, 1), entered=date(2023, 7, 1),
                             left=date(2023, 8, 1), reason="E4A")  # fmt: skip
        assert leavers.eligibility(brief, date(2024, 1, 1)) == "qualifying"

    def test_never_looked_after_at_16_is_refused_with_the_reason(self, sw):
        child = _care_leaver(sw, born=date(2008, 6, 1), entered=date(2022, 7, 1),
                             left=date(2024, 1, 1), reason="E4A")  # fmt: skip
        with pytest.raises(DomainError) as exc:
            leavers.care_leaver_start(child=child, by=sw, on=date(2024, 3, 1))
        assert exc.value.message == errors.NOT_A_CARE_LEAVER
        assert not CareLeaver.objects.exists()


class TestLeaverWork:
    @pytest.fixture
    def leaver(self, sw):
        child = _care_leaver(sw, born=date(2005, 6, 1), entered=date(2020, 3, 1),
                             left=date(2023, 6, 1), reason="E17")  # fmt: skip
        return leavers.care_leaver_start(child=child, by=sw, on=date(2023, 6, 2),
                                         personal_adviser="Sam Okafor")  # fmt: skip

    def test_pathway_review_sets_the_next_due_and_keeps_history(self, leaver, sw):
        leavers.pathway_plan_record(leaver=leaver, by=sw, agreed_on=date(2023, 6, 10))
        leavers.pathway_review_record(leaver=leaver, by=sw, held_on=date(2023, 12, 1))
        leaver.refresh_from_db()
        assert leaver.next_pathway_review_due_on == date(2024, 6, 1)
        assert leaver.history.first().history_user == sw

    def test_a_contact_near_a_birthday_reports_on_that_birthday(self, leaver, sw):
        c = leavers.leaver_contact_record(
            leaver=leaver,
            by=sw,
            contacted_on=date(2024, 4, 20),
            in_touch="YES",
            activity="F2",
            accommodation="Z1",
        )
        assert (c.birthday_age, c.birthday_on) == (19, date(2024, 6, 1))
        other = leavers.leaver_contact_record(leaver=leaver, by=sw, contacted_on=date(2024, 9, 1),
                                              in_touch="NO")  # fmt: skip
        assert other.birthday_age is None

    def test_in_touch_needs_activity_and_accommodation(self, leaver, sw):
        with pytest.raises(DomainError) as exc:
            leavers.leaver_contact_record(leaver=leaver, by=sw, contacted_on=date(2024, 5, 1),
                                          in_touch="YES", activity="F2")  # fmt: skip
        assert exc.value.field == "activity"
        assert not LeaverContact.objects.exists()


class TestAdoption:
    @pytest.fixture
    def period(self, sw):
        return looked_after(ChildFactory(date_of_birth=date(2023, 2, 1)), sw,
                            on=date(2023, 5, 1), legal_status="C2")  # fmt: skip

    def test_the_journey_to_an_adoption_order_ends_the_period_e11(self, period, sw):
        plan = _adopted(period, sw)
        plan.refresh_from_db()
        period.refresh_from_db()
        assert plan.status == AdoptionPlan.Status.ADOPTED
        assert (period.ended_on, period.reason_ceased) == (date(2024, 9, 2), "E11")
        chain = list(CareEpisode.objects.filter(period=period).order_by("started_on"))
        assert [(e.reason_new_episode, e.legal_status, e.placement.place) for e in chain] == [
            ("S", "C2", "U6"), ("L", "E1", "U6"), ("P", "E1", "A6")]  # fmt: skip

    def test_steps_out_of_order_or_status_are_refused(self, period, sw):
        plan = adoption.adoption_decide(period=period, by=sw, decided_on=date(2023, 9, 1))
        with pytest.raises(DomainError) as exc:
            adoption.adoption_place(plan=plan, by=sw, placed_on=date(2024, 3, 20),
                                    placement=ADOPTERS)  # fmt: skip
        assert exc.value.field == "status"
        with pytest.raises(DomainError) as exc:
            adoption.adoption_match(plan=plan, by=sw, matched_on=date(2023, 8, 1),
                                    adopters_number=1, adopters_sex="F1",
                                    adopters_legal_status="L0")  # fmt: skip
        assert exc.value.field == "matched_on"
        with pytest.raises(DomainError) as exc:
            adoption.adoption_match(plan=plan, by=sw, matched_on=date(2024, 1, 1),
                                    adopters_number=1, adopters_sex="MF",
                                    adopters_legal_status="L0")  # fmt: skip
        assert exc.value.field == "adopters_sex"
        plan.refresh_from_db()
        assert (plan.status, plan.matched_on) == ("decided", None)

    def test_a_reversal_records_the_reason(self, period, sw):
        plan = adoption.adoption_decide(period=period, by=sw, decided_on=date(2023, 9, 1))
        adoption.adoption_reverse(plan=plan, by=sw, reversed_on=date(2024, 1, 5), reason="RD3")
        plan.refresh_from_db()
        assert (plan.status, plan.reversal_reason) == ("reversed", "RD3")
        again = adoption.adoption_decide(period=period, by=sw, decided_on=date(2024, 2, 1))
        assert again.status == "decided"


def _snapshot(code, period):
    metrics_services.kpi_snapshots_compute(periods=[P.parse(period)], codes=[code],
                                           today=date(2025, 6, 1))  # fmt: skip
    row = KpiSnapshot.objects.get(kpi=code, period=period, scope_type="authority")
    return row.numerator, row.denominator


class TestKpis:
    def _leaver(self, sw, born):
        child = _care_leaver(sw, born=born, entered=date(born.year + 15, 1, 1),
                             left=born.replace(year=born.year + 18))  # fmt: skip
        return leavers.care_leaver_start(child=child, by=sw, on=born.replace(year=born.year + 18))

    def test_a_21st_birthday_on_31_march_counts_in_that_year_not_the_next(self, sw):
        on_boundary = self._leaver(sw, date(2003, 3, 31))  # 21 on 31/03/2024
        next_day = self._leaver(sw, date(2003, 4, 1))  # 21 on 01/04/2024: the next year
        nineteen = self._leaver(sw, date(2005, 1, 10))
        for leaver, on, kwargs in (
            (on_boundary, date(2024, 3, 1), {"in_touch": "YES", "activity": "F5",
                                             "accommodation": "U1"}),
            (next_day, date(2024, 3, 15), {"in_touch": "YES", "activity": "G5",
                                           "accommodation": "W2"}),
            (nineteen, date(2023, 12, 1), {"in_touch": "NO"}),
        ):  # fmt: skip
            leavers.leaver_contact_record(leaver=leaver, by=sw, contacted_on=on, **kwargs)
        # A birthday with no contact recorded counts as not in touch (the OC3 row says NO):
        # next_day's 20th (1 April 2023) in 2023-24, nineteen's 20th (10 January 2025) in
        # 2024-25.
        assert _snapshot("care_leavers_in_touch", "FY2023-24") == (1, 3)
        assert _snapshot("care_leavers_eet_19_21", "FY2023-24") == (1, 3)
        assert _snapshot("care_leavers_suitable_accommodation_19_21", "FY2023-24") == (1, 3)
        assert _snapshot("care_leavers_in_touch", "FY2024-25") == (1, 2)
        assert _snapshot("care_leavers_eet_19_21", "FY2024-25") == (0, 2)
        assert _snapshot("care_leavers_suitable_accommodation_19_21", "FY2024-25") == (0, 2)

    def test_adoption_timeliness_and_permanence_share(self, sw):
        period = looked_after(ChildFactory(date_of_birth=date(2023, 2, 1)), sw,
                              on=date(2023, 5, 1), legal_status="C2")  # fmt: skip
        _adopted(period, sw)
        home = looked_after(ChildFactory(), sw, on=date(2024, 5, 1))
        care_end(period=home, by=sw, ended_on=date(2024, 6, 1), reason_ceased="E4A")
        # 01/05/2023 -> 20/03/2024 is 324 days; 01/11/2023 -> 01/03/2024 is 121 days.
        assert _snapshot("adoption_a1_days", "FY2024-25") == (324, 1)
        assert _snapshot("adoption_a2_days", "FY2024-25") == (121, 1)
        assert _snapshot("cla_ceased_permanence", "FY2024-25") == (1, 2)

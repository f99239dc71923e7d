"""Entering care, changes of legal status and placement, ceasing: the SSDA903 episode chain."""

from datetime import date

import pytest

from care import errors
from care.models import CareEpisode, CarePeriod, Placement
from care.services.changes import care_change
from care.services.ending import care_end
from care.services.placements import PlacementDetails
from casework import services as casework_services
from casework.errors import DomainError, DomainPermissionError
from casework.models import ChildProtectionPlan
from casework.services.plans import LOOKED_AFTER_REASON
from referrals.models import Referral
from tests.care.builders import ENTRY, FOSTER_B, looked_after
from tests.casework.helpers import assert_refused_unchanged
from tests.factories.casework import ChildFactory
from tests.factories.flows import ICPC_ON, cp_plan_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(referral, sw, tm):
    casework_services.case_allocate(
        referral=referral, by=tm, worker=sw.worker, started_on=referral.referred_on
    )
    return cp_plan_on(referral=referral, worker_user=sw, manager=tm)


class TestEntry:
    def test_from_a_cp_plan_the_plan_ends_and_the_worker_carries_on(self, plan, sw, child):
        period = looked_after(child, sw)
        plan.refresh_from_db()
        assert plan.status == ChildProtectionPlan.Status.ENDED
        assert (plan.ended_on, plan.end_reason) == (ENTRY, LOOKED_AFTER_REASON)
        assert plan.history.first().history_user == sw
        assert period.referral_id == plan.referral_id
        assert period.worker == sw.worker
        # Children in care are children in need: the CIN episode stays open.
        assert Referral.objects.get(pk=plan.referral_id).status == Referral.Status.OPEN
        episode = period.episodes.get()
        assert (episode.reason_new_episode, episode.legal_status, episode.placement.place) == (
            "S", "C1", "U6",
        )  # fmt: skip

    def test_due_dates_count_working_days_past_easter_and_the_may_bank_holiday(self, child, sw):
        period = looked_after(child, sw)
        # 20 working days from Monday 7 April 2025 skip Good Friday, Easter Monday and
        # the early May bank holiday (5 May): Thursday 8 May.
        assert period.next_review_due_on == date(2025, 5, 8)
        assert period.next_health_due_on == date(2025, 5, 8)
        assert period.next_pep_due_on == date(2025, 4, 23)  # 10 working days
        assert period.next_visit_due_on == date(2025, 4, 14)  # a week after placement

    def test_directly_without_an_episode(self, sw2):
        child = ChildFactory()
        period = looked_after(child, sw2, worker=sw2.worker)
        assert period.referral is None
        assert period.worker == sw2.worker
        assert period.history.first().history_user == sw2

    def test_a_cp_plan_starting_after_the_entry_date_refuses_the_whole_entry(self, plan, sw):
        with pytest.raises(DomainError) as refused:
            looked_after(plan.child, sw, on=date(2025, 3, 20))  # plan started 28 March
        assert refused.value.field == "started_on"
        assert not CarePeriod.objects.exists() and not Placement.objects.exists()
        plan.refresh_from_db()
        assert plan.status == ChildProtectionPlan.Status.ACTIVE and plan.started_on == ICPC_ON

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"placement": PlacementDetails(place="T4")}, "place",
             errors.TEMPORARY_AT_START_OR_END),
            ({"placement": PlacementDetails(place="U6", urn="SC1")}, "provider",
             errors.PROVIDER_REQUIRED),
            ({"placement": PlacementDetails(place="K2", provider="PR4")}, "urn",
             errors.URN_REQUIRED),
            ({"placement": PlacementDetails(place="U6", provider="PR0", urn="X")}, "provider",
             errors.PROVIDER_PARENT_ONLY_P1),
            ({"legal_status": "J1"}, "legal_status", errors.YOUTH_JUSTICE_AGE),  # child is 8
            ({"legal_status": "ZZ"}, "legal_status",
             errors.BAD_CODE.format(label="legal status")),
            ({"on": date(2025, 6, 3)}, "started_on", None),  # tomorrow
        ],
    )  # fmt: skip
    def test_refused_with_the_field_at_fault_and_nothing_saved(
        self, child, sw, kwargs, field, message
    ):
        with pytest.raises(DomainError) as refused:
            looked_after(child, sw, **kwargs)
        assert refused.value.field == field
        if message:
            assert refused.value.message == message
        assert not CarePeriod.objects.exists() and not CareEpisode.objects.exists()

    def test_business_support_may_not_record_it(self, child, bs):
        with pytest.raises(DomainPermissionError):
            looked_after(child, bs)

    def test_not_twice(self, child, sw):
        looked_after(child, sw)
        with pytest.raises(DomainError) as refused:
            looked_after(child, sw, on=date(2025, 5, 1))
        assert refused.value.message == errors.ALREADY_LOOKED_AFTER.format(started_on=ENTRY)


class TestLeavingAndReentering:
    def test_a_child_who_leaves_and_reenters_starts_a_new_period_with_rne_s(self, child, sw):
        first = looked_after(child, sw)
        care_end(period=first, by=sw, ended_on=date(2025, 4, 20), reason_ceased="E4A")
        first.refresh_from_db()
        assert first.status == CarePeriod.Status.CEASED
        assert first.next_review_due_on is None and first.next_visit_due_on is None
        with pytest.raises(DomainError) as refused:
            looked_after(child, sw, on=date(2025, 4, 20))
        assert refused.value.message == errors.PERIODS_OVERLAP.format(ended_on=date(2025, 4, 20))
        with pytest.raises(DomainError):
            looked_after(child, sw, on=date(2025, 4, 1))  # before the first period
        second = looked_after(child, sw, on=date(2025, 4, 21))
        assert second.episodes.get().reason_new_episode == "S"
        assert second.next_review_due_on == date(2025, 5, 20)
        last = first.episodes.get()
        assert (last.ended_on, last.reason_ceased) == (date(2025, 4, 20), "E4A")

    def test_x1_is_not_a_way_to_cease(self, child, sw):
        period = looked_after(child, sw)
        assert_refused_unchanged(
            lambda: care_end(period=period, by=sw, ended_on=ENTRY, reason_ceased="X1"),
            period,
            errors.X1_NOT_AN_END,
        )

    def test_adoption_needs_an_adoptive_placement(self, child, sw):
        period = looked_after(child, sw)
        assert_refused_unchanged(
            lambda: care_end(period=period, by=sw, ended_on=date(2025, 5, 1), reason_ceased="E11"),
            period,
            errors.ADOPTION_NEEDS_ADOPTIVE_PLACEMENT,
        )

    def test_independent_living_needs_age_14(self, child, sw):
        period = looked_after(child, sw)
        with pytest.raises(DomainError) as refused:
            care_end(period=period, by=sw, ended_on=date(2025, 5, 1), reason_ceased="E5")
        assert refused.value.message == errors.REASON_TOO_YOUNG.format(code="E5", age=14)

    def test_a_ceased_period_takes_no_changes(self, child, sw):
        period = looked_after(child, sw)
        care_end(period=period, by=sw, ended_on=date(2025, 5, 1), reason_ceased="E4A")
        with pytest.raises(DomainError) as refused:
            care_change(period=period, by=sw, changed_on=date(2025, 5, 2),
                                 legal_status="C2")  # fmt: skip
        assert refused.value.field == "status"


class TestChanges:
    def test_a_placement_change_ends_the_episode_x1_and_starts_one_rne_p(self, child, sw):
        period = looked_after(child, sw)
        moved = date(2025, 5, 12)
        new = care_change(period=period, by=sw, changed_on=moved, placement=FOSTER_B,
                                   reason_place_change="CREQB")  # fmt: skip
        old = period.episodes.get(started_on=ENTRY)
        assert (old.ended_on, old.reason_ceased, old.reason_place_change) == (moved, "X1", "CREQB")
        assert (new.started_on, new.reason_new_episode, new.legal_status) == (moved, "P", "C1")
        assert new.placement.place == "U4" and old.placement.ended_on == moved
        assert old.placement.reason_change == "CREQB"
        period.refresh_from_db()
        assert period.next_visit_due_on == date(2025, 5, 19)  # a week after the new placement

    @pytest.mark.parametrize(
        ("legal_status", "placement", "same_carer", "rne"),
        [("C2", None, False, "L"), ("C2", FOSTER_B, False, "B"), ("C2", FOSTER_B, True, "U"),
         ("", FOSTER_B, True, "T")],
    )  # fmt: skip
    def test_the_rne_names_what_changed(self, child, sw, legal_status, placement, same_carer, rne):
        period = looked_after(child, sw)
        new = care_change(
            period=period, by=sw, changed_on=date(2025, 5, 1), legal_status=legal_status,
            placement=placement, same_carer=same_carer,
            reason_place_change="CARPL" if placement else "",
        )  # fmt: skip
        assert new.reason_new_episode == rne
        assert period.episodes.count() == 2

    def test_a_placement_change_on_the_day_of_entry_replaces_the_first_placement(self, child, sw):
        period = looked_after(child, sw)
        episode = care_change(period=period, by=sw, changed_on=ENTRY,
                                       placement=FOSTER_B, reason_place_change="CHILD")  # fmt: skip
        assert period.episodes.count() == 1
        assert (episode.reason_new_episode, episode.placement.place) == ("S", "U4")
        first = Placement.objects.get(place="U6")
        assert first.superseded and first.ended_on == ENTRY  # kept, never counted

    def test_refusals_leave_the_episode_unchanged(self, child, sw):
        period = looked_after(child, sw)
        episode = period.episodes.get()
        change = care_change
        cases = [
            (lambda: change(period=period, by=sw, changed_on=date(2025, 5, 1)),
             errors.NOTHING_CHANGED),
            (lambda: change(period=period, by=sw, changed_on=date(2025, 5, 1),
                            placement=FOSTER_B), None),  # no reason for the move
            (lambda: change(period=period, by=sw, changed_on=date(2025, 4, 1),
                            legal_status="C2"), errors.BEFORE_EPISODE.format(started_on=ENTRY)),
        ]  # fmt: skip
        for call, message in cases:
            assert_refused_unchanged(call, episode, message)
        assert period.episodes.count() == 1 and Placement.objects.count() == 1

    def test_a_period_cannot_end_in_a_temporary_placement(self, child, sw):
        period = looked_after(child, sw)
        care_change(period=period, by=sw, changed_on=date(2025, 5, 1),
                             placement=PlacementDetails(place="T1"), reason_place_change="OTHER",
                             same_carer=False)  # fmt: skip
        with pytest.raises(DomainError) as refused:
            care_end(period=period, by=sw, ended_on=date(2025, 5, 5),
                              reason_ceased="E4A")  # fmt: skip
        assert refused.value.message == errors.TEMPORARY_AT_START_OR_END
        assert period.episodes.filter(ended_on__isnull=True).count() == 1

"""Contacts, screening and referrals: the front door's write path."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from casework import errors, services
from casework.errors import DomainError, DomainPermissionError
from referrals import services as front_door
from referrals.models import Contact, ContactChild, Referral, ScreeningDecision
from tests.casework.helpers import assert_refused_unchanged
from tests.factories.casework import ChildFactory
from tests.factories.flows import assessment_in, icpc_held, s47_in
from tests.factories.referrals import open_referral, record_contact

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
D = ScreeningDecision


class TestContactRecord:
    def test_a_sibling_group_is_one_contact_with_a_row_per_child(self, bs):
        children = ChildFactory.create_batch(3)
        contact = record_contact(by=bs, children=children)
        assert ContactChild.objects.filter(contact=contact).count() == 3
        assert contact.status == Contact.Status.AWAITING_DECISION

    def test_screening_is_due_the_next_working_day(self, bs):
        friday = datetime(2025, 4, 17, 16, 0, tzinfo=LONDON)  # before Good Friday
        contact = record_contact(by=bs, received_at=friday)
        assert contact.screening_due_on == date(2025, 4, 22)

    def test_it_needs_a_child(self, bs):
        with pytest.raises(DomainError, match="at least one child"):
            front_door.contact_record(
                by=bs,
                received_at=datetime(2025, 3, 3, tzinfo=LONDON),
                source="6",
                reason="x",
                children=[],
            )
        assert not Contact.objects.exists()

    def test_an_auditor_cannot_record_a_contact(self, auditor):
        with pytest.raises(DomainPermissionError):
            record_contact(by=auditor)

    def test_the_decision_reads_nothing(self, django_assert_num_queries):
        # The generator asks it for every contact it writes.
        decide = front_door.decide_contact_record
        received = datetime(2025, 3, 3, 10, 0, tzinfo=LONDON)
        with django_assert_num_queries(0):
            ok = decide(received_at=received, source="6", reason="x", children=[1])
            assert ok == Contact.Status.AWAITING_DECISION
            for change, field in [({"children": []}, "children"), ({"source": "ZZ"}, "source"),
                                  ({"reason_codes": ["99Z"]}, "reason_codes")]:  # fmt: skip
                inputs = {"received_at": received, "source": "6", "reason": "x",
                          "children": [1], **change}  # fmt: skip
                with pytest.raises(DomainError) as caught:
                    decide(**inputs)
                assert caught.value.field == field


class TestContactScreen:
    def test_each_child_gets_a_decision_and_referral_opens_an_episode(self, bs, sw):
        a, b = ChildFactory.create_batch(2)
        contact = record_contact(by=bs, children=[a, b])
        decided = datetime(2025, 3, 4, 11, 0, tzinfo=LONDON)
        contact = front_door.contact_screen(
            contact=contact,
            by=sw,
            decisions={a.pk: D.REFERRAL, b.pk: D.ADVICE},
            decided_at=decided,
        )
        assert (contact.status, contact.decided_by) == (Contact.Status.DECIDED, sw)
        referral = Referral.objects.get(child=a)
        assert (referral.referred_on, referral.source) == (date(2025, 3, 4), contact.source)
        assert referral.contact_child.contact == contact
        assert not Referral.objects.filter(child=b).exists()
        assert contact.deadline_status(date(2025, 6, 2)) == "met"

    def test_a_back_dated_decision_after_the_due_day_is_missed(self, bs, sw, child):
        contact = record_contact(by=bs, children=[child])
        contact = front_door.contact_screen(
            contact=contact,
            by=sw,
            decisions={child.pk: D.NFA},
            decided_at=datetime(2025, 3, 5, 9, 0, tzinfo=LONDON),
        )
        assert contact.deadline_status(date(2025, 6, 2)) == "missed"

    def test_every_child_must_be_decided(self, bs, sw):
        a, b = ChildFactory.create_batch(2)
        contact = record_contact(by=bs, children=[a, b])
        call = lambda: front_door.contact_screen(  # noqa: E731
            contact=contact, by=sw, decisions={a.pk: D.REFERRAL}
        )
        err = assert_refused_unchanged(call, contact)
        assert err.message == errors.CONTACT_DECISION_MISSING.format(names=str(b))
        assert not Referral.objects.exists()

    def test_existing_case_needs_an_open_episode(self, bs, sw, child):
        contact = record_contact(by=bs, children=[child])
        call = lambda: front_door.contact_screen(  # noqa: E731
            contact=contact, by=sw, decisions={child.pk: D.EXISTING_CASE}
        )
        assert_refused_unchanged(
            call, contact, errors.CONTACT_EXISTING_CASE_NOT_OPEN.format(name=child)
        )
        open_referral(by=sw, child=child)
        assert (
            front_door.contact_screen(
                contact=contact, by=sw, decisions={child.pk: D.EXISTING_CASE}
            ).status
            == Contact.Status.DECIDED
        )

    def test_refused_when_already_decided(self, bs, sw, child):
        contact = record_contact(by=bs, children=[child])
        front_door.contact_screen(contact=contact, by=sw, decisions={child.pk: D.NFA})
        call = lambda: front_door.contact_screen(  # noqa: E731
            contact=contact, by=sw, decisions={child.pk: D.ADVICE}
        )
        assert_refused_unchanged(call, contact)

    def test_business_support_cannot_screen(self, bs, child):
        contact = record_contact(by=bs, children=[child])
        call = lambda: front_door.contact_screen(  # noqa: E731
            contact=contact, by=bs, decisions={child.pk: D.NFA}
        )
        assert isinstance(assert_refused_unchanged(call, contact), DomainPermissionError)

    def test_a_failure_opening_the_second_referral_leaves_nothing_written(
        self, bs, sw, monkeypatch
    ):
        a, b = ChildFactory.create_batch(2)
        contact = record_contact(by=bs, children=[a, b])
        real_open = front_door.referral_open

        def failing_open(**kwargs):
            if kwargs["child"] == b:
                raise RuntimeError("database went away")
            return real_open(**kwargs)

        monkeypatch.setattr(front_door, "referral_open", failing_open)
        with pytest.raises(RuntimeError):
            front_door.contact_screen(
                contact=contact, by=sw, decisions={a.pk: D.REFERRAL, b.pk: D.REFERRAL}
            )
        contact.refresh_from_db()
        assert contact.status == Contact.Status.AWAITING_DECISION
        assert not Referral.objects.exists()
        assert set(ContactChild.objects.values_list("decision", flat=True)) == {""}


class TestReferralOpen:
    def test_the_assessment_is_due_45_working_days_after_referral(self, referral):
        assert referral.status == Referral.Status.OPEN
        assert referral.assessment_due_on == date(2025, 5, 8)

    def test_a_second_open_episode_is_refused(self, referral, sw, child):
        with pytest.raises(DomainError) as caught:
            open_referral(by=sw, child=child, referred_on=date(2025, 4, 1))
        assert caught.value.message == errors.EPISODE_ALREADY_OPEN.format(
            referred_on=referral.referred_on
        )
        assert Referral.objects.count() == 1

    def test_an_episode_starting_on_or_before_the_last_closure_is_refused(self, referral, tm):
        front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8"
        )
        with pytest.raises(DomainError) as caught:
            open_referral(by=tm, child=referral.child, referred_on=date(2025, 3, 10))
        assert caught.value.message == errors.EPISODE_OVERLAPS.format(closed_on=date(2025, 3, 10))
        assert Referral.objects.count() == 1

    def test_the_decision_judges_the_episodes_it_is_given_without_a_query(
        self, django_assert_num_queries
    ):
        # The generator passes what it knows of the child's episodes (no query per row).
        decide, Episodes = front_door.decide_referral_open, front_door.ChildEpisodes
        with django_assert_num_queries(0):
            after = Episodes(last_closed=date(2025, 3, 9))
            assert decide(referred_on=date(2025, 3, 10), source="6", episodes=after) == "open"
            for episodes, message in [
                (Episodes(open_since=date(2025, 1, 6)), "already"),
                (Episodes(last_closed=date(2025, 3, 10)), "overlap"),
            ]:
                with pytest.raises(DomainError, match=message):
                    decide(referred_on=date(2025, 3, 10), source="6", episodes=episodes)
            with pytest.raises(DomainError) as caught:
                decide(referred_on=date(2025, 3, 10), source="ZZ", episodes=after)
            assert caught.value.field == "source"


class TestReferralClose:
    def test_closing_with_date_and_reason(self, referral, tm):
        referral = front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8"
        )
        assert (referral.status, referral.closed_on, referral.closure_reason) == (
            "closed",
            date(2025, 3, 10),
            "RC8",
        )

    def test_refused_when_already_closed(self, referral, tm):
        front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8"
        )
        call = lambda: front_door.referral_close(  # noqa: E731
            referral=referral, by=tm, closed_on=date(2025, 3, 11), reason="RC7"
        )
        assert_refused_unchanged(call, referral)

    def test_it_lists_what_is_outstanding(self, referral, sw, tm):
        assessment_in("submitted", referral=referral, worker_user=sw, manager=tm)
        services.cin_plan_start(referral=referral, by=sw, started_on=date(2025, 3, 20))
        call = lambda: front_door.referral_close(  # noqa: E731
            referral=referral, by=tm, closed_on=date(2025, 5, 1), reason="RC7"
        )
        err = assert_refused_unchanged(call, referral)
        assert err.message == errors.EPISODE_CLOSURE_OUTSTANDING.format(
            outstanding="1 assessment not authorised; 1 child in need plan not ended"
        )

    def test_the_generators_rows_are_judged_as_the_database_is(self, referral, sw, tm):
        # One declaration read two ways: the query (episode_work) and dict rows
        # (episode_work_of_rows, the generator's), on the same records.
        assessment_in("submitted", referral=referral, worker_user=sw, manager=tm)
        icpc_held(referral=referral, worker_user=sw, manager=tm)
        services.cin_plan_start(referral=referral, by=sw, started_on=date(2025, 3, 20))
        rows = {
            getattr(referral, relation).model: list(getattr(referral, relation).values())
            for relation, _ in front_door.EVENT_DATES
        }
        work = front_door.episode_work(referral)
        assert work.unfinished == (1, 0, 0, 1)
        held = (front_door.S47_ACTIVITY, front_door.ICPC_ACTIVITY, front_door.CIN_PLAN_ACTIVITY)
        assert work.activity == held
        assert front_door.episode_work_of_rows(rows) == work

    @pytest.mark.parametrize("status", ["open", "submitted"])
    def test_refused_while_an_s47_is_unresolved(self, referral, sw, tm, status):
        s47_in(status, referral=referral, worker_user=sw, manager=tm)
        call = lambda: front_door.referral_close(  # noqa: E731
            referral=referral, by=tm, closed_on=date(2025, 5, 1), reason="RC8"
        )
        err = assert_refused_unchanged(call, referral)
        assert err.field == "closed_on"
        assert err.message == errors.EPISODE_CLOSURE_OUTSTANDING.format(
            outstanding="1 section 47 enquiry not completed"
        )

    def test_a_reason_needs_a_date_and_a_date_needs_a_reason(self, referral, tm):
        call = lambda: front_door.referral_close(  # noqa: E731
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason=""
        )
        assert_refused_unchanged(call, referral, errors.EPISODE_CLOSURE_REASON_REQUIRED)
        call = lambda: front_door.referral_close(  # noqa: E731
            referral=referral, by=tm, closed_on=None, reason="RC8"
        )
        assert_refused_unchanged(call, referral, errors.EPISODE_CLOSURE_DATE_REQUIRED)

    def test_closing_ends_the_allocation(self, referral, sw, tm):
        allocation = services.case_allocate(
            referral=referral, by=tm, worker=sw.worker, started_on=date(2025, 3, 3)
        )
        front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8"
        )
        allocation.refresh_from_db()
        assert allocation.ended_on == date(2025, 3, 10)

    def test_a_social_worker_cannot_close(self, referral, sw):
        call = lambda: front_door.referral_close(  # noqa: E731
            referral=referral, by=sw, closed_on=date(2025, 3, 10), reason="RC8"
        )
        assert isinstance(assert_refused_unchanged(call, referral), DomainPermissionError)


class TestReferralReopen:
    def test_a_closure_can_be_undone(self, referral, tm):
        front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8"
        )
        referral = front_door.referral_reopen(referral=referral, by=tm, reason="New information")
        assert (referral.status, referral.closed_on, referral.closure_reason) == ("open", None, "")

    def test_refused_when_open(self, referral, tm):
        call = lambda: front_door.referral_reopen(  # noqa: E731
            referral=referral, by=tm, reason="x"
        )
        assert_refused_unchanged(call, referral)

    def test_refused_when_a_later_episode_exists(self, referral, sw, tm, child):
        front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC8"
        )
        open_referral(by=sw, child=child, referred_on=date(2025, 4, 1))
        call = lambda: front_door.referral_reopen(  # noqa: E731
            referral=referral, by=tm, reason="x"
        )
        assert_refused_unchanged(call, referral, errors.EPISODE_REOPEN_LATER_EPISODE)


class TestUPNReasonUN7:
    """UN7 means every referral of the child ended NFA (census rule 8772)."""

    def _child_with_un7(self, sw, tm, born: date):
        child = ChildFactory(date_of_birth=born, upn_unknown_reason="UN6")
        nfa = open_referral(by=sw, child=child, referred_on=date(2024, 11, 12), nfa=True)
        front_door.referral_close(referral=nfa, by=tm, closed_on=date(2024, 11, 12), reason="RC8")
        child.refresh_from_db()
        return services.child_update(
            child=child, by=sw, version=child.version, upn_unknown_reason="UN7"
        )

    @pytest.mark.parametrize(("born", "expected"), [(date(2016, 9, 14), "UN5"),
                                                    (date(2020, 1, 6), "UN6")])  # fmt: skip
    def test_a_referral_with_further_action_moves_un7_to_the_sought_reason(
        self, sw, tm, born, expected
    ):
        child = self._child_with_un7(sw, tm, born)

        open_referral(by=sw, child=child, referred_on=date(2025, 2, 3))

        child.refresh_from_db()
        assert child.upn_unknown_reason == expected  # 6+ on 3/2/2025: sought; under 6: UN6
        changes = [h.history_change_reason for h in child.history.order_by("history_id")]
        assert any((c or "").startswith(f"UPN unknown reason UN7 to {expected}") for c in changes)

    def test_a_further_nfa_referral_keeps_un7(self, sw, tm):
        child = self._child_with_un7(sw, tm, date(2016, 9, 14))

        open_referral(by=sw, child=child, referred_on=date(2025, 2, 3), nfa=True)

        child.refresh_from_db()
        assert child.upn_unknown_reason == "UN7"

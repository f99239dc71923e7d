"""Early help transitions: each one allowed and refused, with what it writes."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from casework.errors import DomainError, DomainPermissionError
from casework.models import AssessmentOutcome
from earlyhelp import errors, services
from earlyhelp.codes import ClosureReason, RequestRoute
from earlyhelp.models import EarlyHelpEpisode
from referrals import services as front_door
from referrals.models import Contact, ScreeningDecision
from tests.casework.helpers import assert_refused_unchanged
from tests.factories.casework import ChildFactory
from tests.factories.earlyhelp import REQUESTED_ON, S, episode_in
from tests.factories.flows import assessment_in
from tests.factories.referrals import record_contact

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


class TestRequest:
    def test_a_partner_request_opens_an_episode(self, sw, child):
        e = services.episode_request(
            by=sw,
            child=child,
            requested_on=REQUESTED_ON,
            route=RequestRoute.PARTNER,
            requested_by_agency="school",
        )
        assert (e.status, e.child, e.requested_on) == (S.REQUESTED, child, REQUESTED_ON)
        assert e.history.first().history_user == sw

    def test_a_partner_request_names_the_agency(self, sw, child):
        with pytest.raises(DomainError) as caught:
            services.episode_request(
                by=sw, child=child, requested_on=REQUESTED_ON, route=RequestRoute.PARTNER
            )
        assert (caught.value.message, caught.value.field) == (
            errors.AGENCY_REQUIRED,
            "requested_by_agency",
        )
        assert not EarlyHelpEpisode.objects.exists()

    def test_one_open_episode_per_child(self, sw, child):
        episode_in(S.REQUESTED, by=sw, child=child)
        with pytest.raises(DomainError, match="already has an open early help episode"):
            episode_in(S.REQUESTED, by=sw, child=child, requested_on=date(2025, 3, 10))
        assert EarlyHelpEpisode.objects.count() == 1

    def test_a_new_episode_starts_after_the_last_closed(self, sw, child):
        episode_in(S.CLOSED, by=sw, child=child)  # closed 2 April
        with pytest.raises(DomainError, match="after the child's last early help episode"):
            episode_in(S.REQUESTED, by=sw, child=child, requested_on=date(2025, 4, 2))
        again = episode_in(S.REQUESTED, by=sw, child=child, requested_on=date(2025, 4, 3))
        assert again.status == S.REQUESTED

    def test_an_auditor_may_not_request(self, auditor, child):
        with pytest.raises(DomainPermissionError):
            episode_in(S.REQUESTED, by=auditor, child=child)

    def test_a_future_date_is_refused(self, sw, child):
        with pytest.raises(DomainError) as caught:
            episode_in(S.REQUESTED, by=sw, child=child, requested_on=date(2025, 7, 1))
        assert caught.value.field == "requested_on"


class TestStepDown:
    def test_a_contact_screened_to_early_help_requests_it(self, sw):
        child = ChildFactory()
        contact = record_contact(by=sw, children=[child])
        front_door.contact_screen(
            contact=contact,
            by=sw,
            decisions={child.pk: ScreeningDecision.EARLY_HELP},
            decided_at=datetime(2025, 3, 3, 15, 0, tzinfo=LONDON),
        )
        e = EarlyHelpEpisode.objects.get(child=child)
        assert (e.route, e.requested_on, e.contact_child.contact_id) == (
            RequestRoute.CONTACT,
            date(2025, 3, 3),
            contact.pk,
        )

    def test_screening_leaves_an_open_episode_as_it_is(self, sw):
        child = ChildFactory()
        open_one = episode_in(S.ASSESSMENT, by=sw, child=child, requested_on=date(2025, 2, 3))
        contact = record_contact(by=sw, children=[child])
        front_door.contact_screen(
            contact=contact, by=sw, decisions={child.pk: ScreeningDecision.EARLY_HELP}
        )
        assert list(EarlyHelpEpisode.objects.filter(child=child)) == [open_one]

    def test_an_assessment_authorised_as_early_help_steps_down(self, referral, sw, tm):
        a = assessment_in("submitted", referral=referral, worker_user=sw, manager=tm)
        type(a).objects.filter(pk=a.pk).update(outcome=AssessmentOutcome.EARLY_HELP)
        a.refresh_from_db()
        from casework import services as casework

        a = casework.assessment_authorise(assessment=a, by=tm, authorised_on=date(2025, 3, 7))
        e = EarlyHelpEpisode.objects.get(child=referral.child)
        assert (e.route, e.from_assessment, e.from_referral, e.requested_on) == (
            RequestRoute.STEP_DOWN_ASSESSMENT,
            a,
            referral,
            date(2025, 3, 7),
        )
        assert e.is_step_down

    def test_other_outcomes_do_not(self, referral, sw, tm):
        assessment_in("authorised", referral=referral, worker_user=sw, manager=tm)
        assert not EarlyHelpEpisode.objects.exists()

    def test_a_step_down_needs_a_matching_assessment(self, referral, sw, tm):
        a = assessment_in("authorised", referral=referral, worker_user=sw, manager=tm)
        with pytest.raises(DomainError, match="outcome early help"):
            services.episode_request(
                by=sw,
                child=referral.child,
                requested_on=date(2025, 3, 10),
                route=RequestRoute.STEP_DOWN_ASSESSMENT,
                assessment=a,
            )

    def test_a_step_down_at_closure_needs_rc9(self, referral, sw, tm):
        assessment_in("authorised", referral=referral, worker_user=sw, manager=tm)
        front_door.referral_close(
            referral=referral, by=tm, closed_on=date(2025, 3, 10), reason="RC7"
        )
        with pytest.raises(DomainError, match="RC9"):
            services.episode_request(
                by=sw,
                child=referral.child,
                requested_on=date(2025, 3, 10),
                route=RequestRoute.STEP_DOWN_CIN,
                referral=referral,
            )


class TestAssessmentAndPlan:
    def test_start_records_consent_and_lead_practitioner(self, sw):
        e = episode_in(S.ASSESSMENT, by=sw)
        assert (e.status, e.lead_agency, e.lead_practitioner, e.consent_on) == (
            S.ASSESSMENT,
            "school",
            "Pat Teacher",
            date(2025, 3, 4),
        )

    def test_start_needs_consent_and_a_practitioner(self, sw):
        e = episode_in(S.REQUESTED, by=sw)
        for kwargs, field in [
            ({"consent_on": None, "lead_practitioner": "Pat"}, "consent_on"),
            ({"consent_on": date(2025, 3, 4), "lead_practitioner": " "}, "lead_practitioner"),
            ({"consent_on": date(2025, 3, 1), "lead_practitioner": "Pat"}, "consent_on"),
        ]:
            err = assert_refused_unchanged(
                lambda kw=kwargs: services.assessment_start(
                    episode=e, by=sw, started_on=date(2025, 3, 4), lead_agency="school", **kw
                ),
                e,
            )
            assert err.field == field

    def test_complete_needs_known_needs(self, sw):
        e = episode_in(S.ASSESSMENT, by=sw)
        err = assert_refused_unchanged(
            lambda: services.assessment_complete(
                episode=e, by=sw, completed_on=date(2025, 3, 10), needs=[]
            ),
            e,
        )
        assert err.message == errors.NEEDS_REQUIRED
        err = assert_refused_unchanged(
            lambda: services.assessment_complete(
                episode=e, by=sw, completed_on=date(2025, 3, 10), needs=["wealth"]
            ),
            e,
        )
        assert "wealth" in err.message

    def test_the_plan_needs_a_team_around_the_family(self, sw):
        e = episode_in(S.ASSESSED, by=sw)
        err = assert_refused_unchanged(
            lambda: services.plan_start(episode=e, by=sw, started_on=date(2025, 3, 12)), e
        )
        assert err.message == errors.TAF_REQUIRED

    def test_the_plan_cannot_start_before_the_assessment(self, sw):
        e = episode_in(S.ASSESSMENT, by=sw)
        with pytest.raises(DomainError, match="cannot start a plan for"):
            services.plan_start(episode=e, by=sw, started_on=date(2025, 3, 12))

    def test_plan_and_reviews_set_the_next_review(self, sw):
        e = episode_in(S.PLAN, by=sw)  # plan 13 March
        assert e.next_review_due_on == date(2025, 4, 24)
        review = services.review_record(
            episode=e, by=sw, held_on=date(2025, 4, 22), progress="Attendance up to 92%"
        )
        e.refresh_from_db()
        assert (review.due_on, e.next_review_due_on) == (date(2025, 4, 24), date(2025, 6, 3))
        with pytest.raises(DomainError, match="last review"):
            services.review_record(episode=e, by=sw, held_on=date(2025, 4, 1), progress="x")


class TestClosure:
    def test_close_with_a_reason(self, sw):
        e = episode_in(S.CLOSED, by=sw)
        assert (e.status, e.closed_on, e.closure_reason) == (
            S.CLOSED,
            date(2025, 4, 2),
            ClosureReason.NEEDS_MET,
        )

    def test_closing_as_stepped_up_needs_the_step_up(self, sw):
        e = episode_in(S.PLAN, by=sw)
        err = assert_refused_unchanged(
            lambda: services.episode_close(
                episode=e, by=sw, closed_on=date(2025, 4, 2), reason="stepped_up"
            ),
            e,
        )
        assert err.message == errors.CLOSE_STEPPED_UP

    def test_closure_not_before_the_last_event(self, sw):
        e = episode_in(S.PLAN, by=sw)
        with pytest.raises(DomainError, match="last event"):
            services.episode_close(episode=e, by=sw, closed_on=date(2025, 3, 5), reason="moved")

    def test_a_closed_episode_takes_no_more_work(self, sw):
        e = episode_in(S.CLOSED, by=sw)
        err = assert_refused_unchanged(
            lambda: services.taf_member_add(
                episode=e, by=sw, name="X", agency="school", joined_on=date(2025, 4, 3)
            ),
            e,
        )
        assert err.message == errors.EPISODE_CLOSED


class TestStepUp:
    def test_step_up_opens_a_contact_with_the_history_and_closes_the_episode(self, sw):
        e = episode_in(S.PLAN, by=sw)
        services.review_record(episode=e, by=sw, held_on=date(2025, 4, 22), progress="Worse")
        at = datetime(2025, 5, 6, 11, 0, tzinfo=LONDON)

        contact = services.step_up(episode=e, by=sw, received_at=at, reason="Bruising seen")

        e.refresh_from_db()
        closed = (S.CLOSED, "stepped_up", date(2025, 5, 6))
        assert (e.status, e.closure_reason, e.closed_on) == closed
        assert e.step_up_contact == contact
        assert contact.status == Contact.Status.AWAITING_DECISION and contact.source == "5D"
        assert [line.child for line in contact.children.all()] == [e.child]
        assert "Bruising seen" in contact.reason
        assert "Pat Teacher (School)" in contact.reason
        assert "Hali Visitor (Health visiting)" in contact.reason
        assert "Plan review 22/04/2025: Worse" in contact.reason
        assert contact.early_help_step_up == e

    def test_a_refused_step_up_leaves_no_contact(self, sw):
        e = episode_in(S.PLAN, by=sw)
        at = datetime(2025, 3, 5, 11, 0, tzinfo=LONDON)  # before the plan started
        assert_refused_unchanged(
            lambda: services.step_up(episode=e, by=sw, received_at=at, reason="Concern"), e
        )
        assert not Contact.objects.exists()


class TestContactReasonCodes:
    def test_a_contact_keeps_its_census_reason_codes(self, sw):
        contact = record_contact(by=sw, reason_codes=["3B", "2B", "3B"])
        contact.refresh_from_db()
        assert contact.reason_codes == ["3B", "2B"]

    def test_an_unknown_code_is_refused_and_nothing_saved(self, sw):
        with pytest.raises(DomainError) as caught:
            record_contact(by=sw, reason_codes=["3B", "99Z"])
        assert (caught.value.field, "99Z" in caught.value.message) == ("reason_codes", True)
        assert not Contact.objects.exists()

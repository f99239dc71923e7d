"""Issue 18 item 3: a status is set only by its model's declared transitions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed

from care.models import AdoptionPlan, CarePeriod
from casework.errors import DomainError
from casework.models import (
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from casework.services.plans import (
    decide_cin_plan_end,
    decide_cin_plan_start,
    decide_cp_plan_start,
)
from casework.services.protection import decide_s47_start
from casework.transitions import status_after, status_after_step, unsaved
from earlyhelp.models import EarlyHelpEpisode
from referrals.models import Contact, Referral
from referrals.services import CIN_PLAN_ACTIVITY, EpisodeWork, decide_close
from tests.factories.flows import assessment_in

S_SUBMITTED = Assessment.Status.SUBMITTED
STATEFUL = [
    Contact,
    Referral,
    Assessment,
    Section47Enquiry,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CarePeriod,
    AdoptionPlan,
    EarlyHelpEpisode,
]


@pytest.mark.parametrize("model", STATEFUL, ids=lambda m: m.__name__)
def test_assigning_a_status_directly_is_refused(model):
    record = model()
    other = model.Status.values[-1]
    with pytest.raises(AttributeError, match="Direct status modification is not allowed"):
        record.status = other
    assert record.status == model._meta.get_field("status").default


def test_a_saved_record_reloads_its_status_but_cannot_be_given_one(referral, sw, tm):
    assessment = assessment_in(
        Assessment.Status.SUBMITTED, referral=referral, worker_user=sw, manager=tm
    )
    assessment.refresh_from_db()  # the protected field still reloads
    assert assessment.status == Assessment.Status.SUBMITTED
    with pytest.raises(AttributeError):
        assessment.status = Assessment.Status.AUTHORISED
    stale = Assessment.objects.only("pk").get(pk=assessment.pk)
    assert stale.status == Assessment.Status.SUBMITTED  # a deferred status loads on demand


def test_a_record_with_a_protected_status_still_validates_it(referral, sw, tm):
    assessment = assessment_in(S_SUBMITTED, referral=referral, worker_user=sw, manager=tm)
    assessment.full_clean(validate_unique=False, validate_constraints=False)
    unknown = Assessment(status="signed", started_on=assessment.started_on)
    with pytest.raises(ValidationError) as invalid:
        unknown.full_clean(exclude={"child", "referral", "due_on", "dfe_due_on"})
    assert set(invalid.value.error_dict) == {"status"}


def test_status_after_follows_the_declared_table():
    assert status_after(Assessment) == Assessment.Status.IN_PROGRESS
    steps = ("complete", "submit", "return_to_worker", "complete", "submit", "authorise")
    assert status_after(Assessment, *steps) == Assessment.Status.AUTHORISED
    assert status_after(AdoptionPlan, "match", "reverse") == AdoptionPlan.Status.REVERSED
    assert (
        status_after_step(EarlyHelpEpisode, EarlyHelpEpisode.Status.ASSESSED, "close")
        == EarlyHelpEpisode.Status.CLOSED
    )


@pytest.mark.parametrize(
    ("model", "steps"),
    [
        (Assessment, ("authorise",)),  # not submitted
        (Assessment, ("complete", "submit", "authorise", "return_to_worker")),
        (AdoptionPlan, ("match", "place", "reverse")),  # placed: too late to reverse
        (Referral, ("close", "close")),
    ],
)
def test_status_after_refuses_a_path_the_table_does_not_allow(model, steps):
    with pytest.raises(TransitionNotAllowed):
        status_after(model, *steps)


@pytest.mark.django_db
def test_a_generated_row_is_judged_as_an_unsaved_record_without_a_query(
    django_assert_num_queries,
):
    episode = unsaved(Referral, {"id": 7, "referred_on": date(2025, 1, 6), "closed_on": None})
    row = {"id": 9, "referral_id": 7, "started_on": date(2025, 2, 3), "ended_on": None,
           "status": status_after(CINPlan), "created_at": None}  # fmt: skip

    with django_assert_num_queries(0):
        plan = unsaved(CINPlan, row, referral=episode)
        assert decide_cin_plan_end(plan, ended_on=date(2025, 3, 3)) == CINPlan.Status.ENDED
        with pytest.raises(DomainError, match="before"):
            decide_cin_plan_end(plan, ended_on=date(2025, 1, 31))


def test_a_closure_is_judged_on_the_episodes_work_as_given():
    episode = unsaved(
        Referral,
        {"id": 7, "referred_on": date(2025, 1, 6), "status": status_after(Referral)},
        child=Child(id=3),
    )
    work = EpisodeWork(unfinished=(0, 0, 0, 1), activity=(), last_on=date(2025, 2, 1))

    with pytest.raises(DomainError, match="1 child in need plan not ended"):
        decide_close(episode, closed_on=date(2025, 3, 3), reason="RC1", work=work)
    done = EpisodeWork(last_on=date(2025, 2, 1))
    assert decide_close(episode, closed_on=date(2025, 3, 3), reason="RC1", work=done) == "closed"
    with pytest.raises(DomainError, match="RC8"):
        decide_close(episode, closed_on=date(2025, 3, 3), reason="RC8",
                     work=EpisodeWork(activity=(CIN_PLAN_ACTIVITY,)))  # fmt: skip


@pytest.mark.django_db
def test_the_starts_are_judged_on_the_records_given_without_a_query(django_assert_num_queries):
    # The generator passes what it knows from its rows: whether one was started from the
    # discussion or ICPC, and the child's other enquiries or plans (start, end).
    episode = unsaved(Referral, {"id": 7, "referred_on": date(2025, 1, 6), "closed_on": None})
    held_on = date(2025, 2, 3)
    discussion = StrategyDiscussion(referral=episode, held_on=held_on, s47_required=True)
    icpc = unsaved(
        ChildProtectionConference,
        {"id": 5, "kind": "initial", "outcome": "plan", "held_on": held_on,
         "status": status_after(ChildProtectionConference, "hold"), "created_at": None},
    )  # fmt: skip
    ended, running = [(date(2025, 1, 7), date(2025, 1, 20))], [(date(2025, 1, 7), None)]

    def s47(started=False, spans=()):
        return decide_s47_start(discussion, referral=episode, started=started,
                                child_enquiries=spans)  # fmt: skip

    def plan(started=False, spans=()):
        return decide_cp_plan_start(icpc, referral=episode, category="NEG", started=started,
                                    child_plans=spans)  # fmt: skip

    with django_assert_num_queries(0):
        assert s47(spans=ended) == Section47Enquiry.Status.OPEN
        assert plan(spans=ended) == ChildProtectionPlan.Status.ACTIVE
        for decide in (s47, plan):
            with pytest.raises(DomainError, match="already started"):
                decide(started=True)
            with pytest.raises(DomainError, match="cannot overlap"):
                decide(spans=running)


def test_a_cin_plan_start_is_judged_on_the_childs_plans_as_given():
    episode = unsaved(Referral, {"id": 7, "referred_on": date(2025, 1, 6), "closed_on": None})
    cp_ended, running = [(date(2025, 1, 7), date(2025, 1, 20))], [(date(2025, 1, 7), None)]

    def start(cp=(), cin=()):
        return decide_cin_plan_start(referral=episode, started_on=date(2025, 2, 3),
                                     child_cp_plans=cp, child_cin_plans=cin)  # fmt: skip

    assert start(cp=cp_ended, cin=cp_ended) == CINPlan.Status.ACTIVE
    with pytest.raises(DomainError, match="is on a child protection plan"):
        start(cp=running)
    with pytest.raises(DomainError, match="already has a child in need plan"):
        start(cin=running)

"""Child protection recording pages: strategy discussion, s47 outcome and sign-off, ICPC,
plan start / end, core group, review conference, and the visit (with siblings).

Each form gets: a happy path whose record is checked in the database, a service guard
shown beside its field, bad input (empty, oversized, wrong type, wrong date order) that
saves nothing, a double submit that saves once and a stale version that conflicts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest

from accounts.models import Role, User
from casework import errors
from casework.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    CoreGroup,
    Household,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from casework.services import protection
from casework.timescales import icpc_due_on
from referrals.services import referral_close
from tests.ui import builders

REFERRED = date(2025, 6, 2)
S47_HELD = date(2025, 6, 5)
ICPC_ON = date(2025, 6, 9)


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _blank_date(prefix):
    return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}


@dataclass
class Case:
    """One form, ready to post: who posts, where, valid data and how to read the outcome."""

    user: object
    url: str
    data: dict
    state: Callable[[], object]  # a snapshot that bad input must leave unchanged
    record: object = None  # the versioned record, if the form has one
    date_field: str = ""
    text_field: tuple[str, int, str] = ("", 0, "")  # name, max length, label
    wrong_order: tuple[dict, str, str] = field(default_factory=lambda: ({}, "", ""))


def _referral(alice):
    return builders.caseload(alice.worker, 1, referred_on=REFERRED)[0]


def _s47(alice, status=Section47Enquiry.Status.OPEN):
    return builders.s47s([_referral(alice)], held_on=S47_HELD, status=status)[0]


def _scheduled_icpc(alice, mary):
    s47 = _s47(alice, Section47Enquiry.Status.SUBMITTED)
    protection.s47_complete(s47=s47, by=mary)
    return ChildProtectionConference.objects.get(s47=s47)


def _held_icpc(alice, mary, outcome="plan"):
    conference = _scheduled_icpc(alice, mary)
    protection.icpc_record(s47=conference.s47, by=alice, held_on=ICPC_ON, outcome=outcome)
    conference.refresh_from_db()
    return conference


def _plan(alice):
    return builders.cp_plans([_referral(alice)], icpc_on=ICPC_ON)[0]


def _row(model, pk, *fields):
    return model.objects.filter(pk=pk).values_list("version", *fields).get()


def case_strategy(alice, mary):
    r = _referral(alice)
    return Case(
        alice,
        f"/referrals/{r.pk}/strategy-discussion/",
        {**_date("held_on", date(2025, 6, 10)), "s47_required": "yes", "attendees": "Police"},
        lambda: (StrategyDiscussion.objects.count(), Section47Enquiry.objects.count()),
        date_field="held_on",
        text_field=("notes", 5000, "Notes"),
        wrong_order=(
            _date("held_on", date(2025, 5, 1)),
            "held_on",
            "The date cannot be before the referral date (02/06/2025)",
        ),
    )


def case_s47_outcome(alice, mary):
    s47 = _s47(alice)
    return Case(
        alice,
        f"/s47s/{s47.pk}/outcome/",
        {**_date("ended_on", date(2025, 6, 12)), "outcome": "icpc"},
        lambda: _row(Section47Enquiry, s47.pk, "status", "outcome", "ended_on"),
        record=s47,
        date_field="ended_on",
        wrong_order=(
            _date("ended_on", date(2025, 6, 4)),
            "ended_on",
            "The date cannot be before the start of the enquiry (05/06/2025)",
        ),
    )


def case_s47_sign_off(alice, mary):
    s47 = _s47(alice, Section47Enquiry.Status.SUBMITTED)
    return Case(
        mary,
        f"/s47s/{s47.pk}/decision/",
        {"decision": "authorise", "reason": ""},
        lambda: (
            _row(Section47Enquiry, s47.pk, "status"),
            ChildProtectionConference.objects.count(),
        ),
        record=s47,
        text_field=("reason", 5000, "Reason for returning"),
    )


def case_icpc(alice, mary):
    conference = _scheduled_icpc(alice, mary)
    return Case(
        alice,
        f"/conferences/{conference.pk}/record/",
        {**_date("held_on", date(2025, 6, 13)), "outcome": "plan", "chair": "J Chair"},
        lambda: _row(ChildProtectionConference, conference.pk, "status", "held_on"),
        record=conference,
        date_field="held_on",
        text_field=("chair", 100, "Chair"),
        wrong_order=(
            _date("held_on", date(2025, 6, 4)),
            "held_on",
            "The date cannot be before the start of the enquiry (05/06/2025)",
        ),
    )


def case_plan_start(alice, mary):
    conference = _held_icpc(alice, mary)
    return Case(
        alice,
        f"/conferences/{conference.pk}/plan/",
        {"category": "EMO"},
        lambda: ChildProtectionPlan.objects.count(),
        record=conference,
    )


def case_core_group(alice, mary):
    plan = _plan(alice)
    return Case(
        alice,
        f"/plans/{plan.pk}/core-group/",
        {**_date("held_on", date(2025, 6, 12)), "notes": "Met"},
        lambda: (CoreGroup.objects.count(), _row(ChildProtectionPlan, plan.pk)),
        record=plan,
        date_field="held_on",
        text_field=("notes", 5000, "Notes"),
        wrong_order=(
            _date("held_on", date(2025, 6, 5)),
            "held_on",
            "The date cannot be before the start of the plan (09/06/2025)",
        ),
    )


def case_review(alice, mary):
    plan = _plan(alice)
    return Case(
        alice,
        f"/plans/{plan.pk}/review/",
        {
            **_date("held_on", date(2025, 6, 13)),
            "outcome": "continue",
            "latest_category": "PHY",
            "chair": "",
        },
        lambda: (
            ChildProtectionConference.objects.filter(kind=ConferenceKind.REVIEW).count(),
            _row(ChildProtectionPlan, plan.pk, "status", "next_review_due_on"),
        ),
        record=plan,
        date_field="held_on",
        text_field=("chair", 100, "Chair"),
        wrong_order=(
            _date("held_on", date(2025, 6, 5)),
            "held_on",
            "The date cannot be before the start of the plan (09/06/2025)",
        ),
    )


def case_plan_end(alice, mary):
    plan = _plan(alice)
    return Case(
        mary,
        f"/plans/{plan.pk}/end/",
        {**_date("ended_on", date(2025, 6, 13)), "reason": "Moved to another authority"},
        lambda: _row(ChildProtectionPlan, plan.pk, "status", "ended_on"),
        record=plan,
        date_field="ended_on",
        text_field=("reason", 200, "Reason the plan ended"),
        wrong_order=(
            _date("ended_on", date(2025, 6, 5)),
            "ended_on",
            "The date cannot be before the start of the plan (09/06/2025)",
        ),
    )


def case_visit(alice, mary):
    r = _referral(alice)
    return Case(
        alice,
        f"/referrals/{r.pk}/visit/",
        {
            "kind": "cin",
            **_date("visited_on", date(2025, 6, 11)),
            "child_seen": "yes",
            "seen_alone": "yes",
            "notes": "",
        },
        lambda: Visit.objects.count(),
        date_field="visited_on",
        text_field=("notes", 5000, "Notes"),
        wrong_order=(
            _date("visited_on", date(2025, 5, 30)),
            "visited_on",
            "The date cannot be before the referral date (02/06/2025)",
        ),
    )


CASES = {
    "strategy": case_strategy,
    "s47-outcome": case_s47_outcome,
    "s47-sign-off": case_s47_sign_off,
    "icpc": case_icpc,
    "plan-start": case_plan_start,
    "core-group": case_core_group,
    "review": case_review,
    "plan-end": case_plan_end,
    "visit": case_visit,
}
VERSIONED = [k for k in CASES if k not in {"strategy", "visit"}]
DATED = [k for k in CASES if k not in {"s47-sign-off", "plan-start"}]
TEXTS = [k for k in CASES if k not in {"s47-outcome", "plan-start"}]
ORDERED = [k for k in DATED if k != "s47-sign-off"]


@pytest.fixture
def make(alice, mary, login):
    def _make(name):
        case = CASES[name](alice, mary)
        if case.record is not None:
            case.data["version"] = case.record.version
        return case, login(case.user)

    return _make


def _post_bad(client, case, changes):
    before = case.state()
    response = client.post(case.url, {"form_token": "bad", **case.data, **changes})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert case.state() == before
    return response


@pytest.mark.parametrize("name", CASES)
def test_each_form_renders_and_a_double_submit_saves_once(make, name):
    case, client = make(name)
    get = client.get(case.url)
    assert get.status_code == 200
    token = get.context["form"].initial["form_token"]
    before = case.state()
    data = {"form_token": token, **case.data}
    first = client.post(case.url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    after = case.state()
    assert after != before
    second = client.post(case.url, data)
    assert second.status_code == 302
    assert second.url == first.url
    assert case.state() == after


@pytest.mark.parametrize("name", CASES)
def test_each_form_refuses_an_empty_post_and_wrong_type_choices(make, name):
    case, client = make(name)
    empty = {k: "" for k in case.data if k != "version"}
    _post_bad(client, case, empty)
    choices = {"outcome", "decision", "category", "kind", "s47_required", "latest_category"}
    wrong = dict.fromkeys(choices & set(case.data), "abc")
    if wrong:
        _post_bad(client, case, wrong)


@pytest.mark.parametrize("name", DATED)
@pytest.mark.parametrize(
    ("part", "value", "message"),
    [
        (None, None, "Enter "),
        ("_0", "abc", "must be a real date"),
        ("_0", "9" * 5000, "There is a problem"),
        ("_2", "20255", "There is a problem"),
        ("_1", "13", "must be a real date"),
    ],
)
def test_bad_dates_show_a_message_beside_the_date_and_save_nothing(
    make, name, part, value, message
):
    case, client = make(name)
    f = case.date_field
    changes = _blank_date(f) if part is None else {f"{f}{part}": value}
    response = _post_bad(client, case, changes)
    assert f in response.context["form"].errors
    assert message in response.content.decode()


@pytest.mark.parametrize("name", ORDERED)
def test_a_date_in_the_wrong_order_shows_the_rule_beside_the_date(make, name):
    case, client = make(name)
    changes, field_name, message = case.wrong_order
    response = _post_bad(client, case, changes)
    assert response.context["form"].errors[field_name] == [message]


@pytest.mark.parametrize("name", TEXTS)
def test_oversized_text_is_a_message_not_a_500(make, name):
    case, client = make(name)
    field_name, limit, label = case.text_field
    response = _post_bad(client, case, {field_name: "x" * (limit + 1)})
    assert response.context["form"].errors[field_name] == [
        f"{label} must be {limit} characters or fewer"
    ]


@pytest.mark.parametrize("name", VERSIONED)
def test_a_stale_form_shows_a_conflict_and_saves_nothing(make, name):
    case, client = make(name)
    type(case.record).objects.filter(pk=case.record.pk).update(version=case.record.version + 1)
    before = case.state()
    response = client.post(case.url, {"form_token": "stale", **case.data})
    assert response.status_code == 200
    assert errors.CONFLICT in response.content.decode()
    assert case.state() == before


@pytest.mark.parametrize("name", ["strategy", "s47-outcome", "icpc", "plan-end", "visit"])
def test_an_outsider_gets_404(make, olive, login, name):
    case, _ = make(name)
    client = login(olive)
    assert client.get(case.url).status_code == 404
    assert client.post(case.url, {"form_token": "x", **case.data}).status_code == 404


# Happy paths: the record was made by the service.


def _post(client, url, **data):
    response = client.post(url, {"form_token": url, **data})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_strategy_discussion_deciding_on_s47_starts_the_enquiry_that_day(alice, login):
    r = _referral(alice)
    _post(
        login(alice),
        f"/referrals/{r.pk}/strategy-discussion/",
        **_date("held_on", date(2025, 6, 10)),
        s47_required="yes",
        attendees="Police, school",
        notes="",
    )
    discussion = StrategyDiscussion.objects.get(referral=r)
    assert discussion.s47_required and discussion.attendees == "Police, school"
    s47 = Section47Enquiry.objects.get(strategy_discussion=discussion)
    assert s47.started_on == date(2025, 6, 10)
    assert s47.icpc_due_on == icpc_due_on(date(2025, 6, 10))
    assert s47.status == Section47Enquiry.Status.OPEN


def test_strategy_discussion_without_s47_starts_nothing(alice, login):
    r = _referral(alice)
    _post(
        login(alice),
        f"/referrals/{r.pk}/strategy-discussion/",
        **_date("held_on", date(2025, 6, 10)),
        s47_required="no",
    )
    assert StrategyDiscussion.objects.get(referral=r).s47_required is False
    assert not Section47Enquiry.objects.exists()


def test_a_second_overlapping_s47_is_refused_beside_the_date(alice, login):
    s47 = _s47(alice)
    url = f"/referrals/{s47.referral_id}/strategy-discussion/"
    data = {"form_token": "t", **_date("held_on", date(2025, 6, 10)), "s47_required": "yes"}
    response = login(alice).post(url, data)
    assert response.context["form"].errors["held_on"] == [
        errors.S47_OVERLAPS.format(started_on=S47_HELD)
    ]
    assert StrategyDiscussion.objects.count() == 1


def test_s47_outcome_then_sign_off_schedules_the_icpc(alice, mary, login):
    s47 = _s47(alice)
    _post(
        login(alice),
        f"/s47s/{s47.pk}/outcome/",
        version=s47.version,
        outcome="icpc",
        **_date("ended_on", date(2025, 6, 12)),
    )
    s47.refresh_from_db()
    assert (s47.status, s47.outcome, s47.ended_on) == ("submitted", "icpc", date(2025, 6, 12))
    _post(login(mary), f"/s47s/{s47.pk}/decision/", version=s47.version, decision="authorise")
    s47.refresh_from_db()
    assert s47.status == Section47Enquiry.Status.COMPLETED and s47.authorised_by == mary
    conference = ChildProtectionConference.objects.get(s47=s47)
    assert conference.due_on == s47.icpc_due_on and conference.status == "scheduled"


def test_returning_an_s47_outcome_needs_a_reason_beside_the_reason(alice, mary, login):
    s47 = _s47(alice, Section47Enquiry.Status.SUBMITTED)
    client = login(mary)
    url = f"/s47s/{s47.pk}/decision/"
    response = client.post(
        url, {"form_token": "r", "version": s47.version, "decision": "return", "reason": " "}
    )
    assert response.context["form"].errors["reason"] == [errors.REASON_REQUIRED]
    s47.refresh_from_db()
    assert s47.status == Section47Enquiry.Status.SUBMITTED
    _post(client, url, version=s47.version, decision="return", reason="Needs police view")
    s47.refresh_from_db()
    assert (s47.status, s47.outcome) == ("open", "")


def test_a_social_worker_cannot_sign_off_an_s47(alice, login):
    s47 = _s47(alice, Section47Enquiry.Status.SUBMITTED)
    response = login(alice).post(
        f"/s47s/{s47.pk}/decision/",
        {"form_token": "t", "version": s47.version, "decision": "authorise"},
    )
    assert response.status_code == 403  # the decision page refuses the role up front
    s47.refresh_from_db()
    assert s47.status == Section47Enquiry.Status.SUBMITTED


def test_the_queue_links_each_s47_to_its_sign_off(alice, mary, login):
    s47 = _s47(alice, Section47Enquiry.Status.SUBMITTED)
    body = login(mary).get("/queues/authorisation/").content.decode()
    assert f'href="/s47s/{s47.pk}/decision/"' in body


def test_icpc_on_a_weekend_is_refused_beside_the_date(alice, mary, login):
    conference = _scheduled_icpc(alice, mary)
    response = login(alice).post(
        f"/conferences/{conference.pk}/record/",
        {
            "form_token": "t",
            "version": conference.version,
            **_date("held_on", date(2025, 6, 14)),
            "outcome": "plan",
        },
    )
    assert response.context["form"].errors["held_on"] == ["14/06/2025 is not a working day"]
    conference.refresh_from_db()
    assert conference.status == "scheduled"


def test_icpc_then_plan_start_on_the_icpc_date(alice, mary, login):
    conference = _scheduled_icpc(alice, mary)
    client = login(alice)
    _post(
        client,
        f"/conferences/{conference.pk}/record/",
        version=conference.version,
        outcome="plan",
        chair="A Chair",
        **_date("held_on", date(2025, 6, 13)),
    )
    conference.refresh_from_db()
    assert (conference.status, conference.held_on, conference.outcome) == (
        "held",
        date(2025, 6, 13),
        "plan",
    )
    _post(client, f"/conferences/{conference.pk}/plan/", version=conference.version, category="EMO")
    plan = ChildProtectionPlan.objects.get(icpc=conference)
    assert plan.started_on == date(2025, 6, 13)
    assert plan.initial_category == plan.latest_category == "EMO"


def test_a_plan_from_a_no_plan_icpc_is_refused_in_the_summary(alice, mary, login):
    conference = _held_icpc(alice, mary, outcome="no_plan")
    response = login(alice).post(
        f"/conferences/{conference.pk}/plan/",
        {"form_token": "t", "version": conference.version, "category": "NEG"},
    )
    assert response.context["form"].non_field_errors() == [errors.PLAN_ICPC_NOT_PLAN]
    assert not ChildProtectionPlan.objects.exists()


def test_core_group_review_and_plan_end(alice, mary, login):
    plan = _plan(alice)
    client = login(alice)
    _post(
        client,
        f"/plans/{plan.pk}/core-group/",
        version=plan.version,
        notes="",
        **_date("held_on", date(2025, 6, 12)),
    )
    assert CoreGroup.objects.get(plan=plan).held_on == date(2025, 6, 12)
    _post(
        client,
        f"/plans/{plan.pk}/review/",
        version=plan.version,
        outcome="continue",
        latest_category="PHY",
        **_date("held_on", date(2025, 6, 13)),
    )
    plan.refresh_from_db()
    assert plan.latest_category == "PHY" and plan.next_review_due_on == date(2025, 12, 13)
    review = ChildProtectionConference.objects.get(plan=plan, kind=ConferenceKind.REVIEW)
    assert (review.status, review.outcome) == ("held", "continue")
    _post(
        login(mary),
        f"/plans/{plan.pk}/end/",
        version=plan.version,
        reason="Moved away",
        **_date("ended_on", date(2025, 6, 16)),
    )
    plan.refresh_from_db()
    assert (plan.status, plan.ended_on, plan.end_reason) == (
        "ended",
        date(2025, 6, 16),
        "Moved away",
    )


def test_a_social_worker_cannot_end_a_plan_outside_a_review(alice, login):
    plan = _plan(alice)
    response = login(alice).post(
        f"/plans/{plan.pk}/end/",
        {
            "form_token": "t",
            "version": plan.version,
            "reason": "x",
            **_date("ended_on", date(2025, 6, 13)),
        },
    )
    assert "does not allow you to end a child protection plan" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "active"


def test_child_record_links_each_next_step(alice, mary, login):
    plan = _plan(alice)
    s47 = builders.s47s([plan.referral], held_on=date(2025, 6, 12))[0]
    body = login(alice).get(f"/children/{plan.child_id}/").content.decode()
    for href in (
        f"/s47s/{s47.pk}/outcome/",
        f"/plans/{plan.pk}/core-group/",
        f"/plans/{plan.pk}/review/",
        f"/plans/{plan.pk}/end/",
        f"/referrals/{plan.referral_id}/strategy-discussion/",
        f"/referrals/{plan.referral_id}/visit/",
    ):
        assert f'href="{href}"' in body


# Visits


def _household(alice, olive, n_open=2):
    """Three children in one household on alice's caseload, one of them closed, plus one
    in another team (not visible to alice)."""
    household = Household.objects.create(reference="H1")
    mine = builders.caseload(alice.worker, n_open + 1, referred_on=REFERRED)
    theirs = builders.caseload(olive.worker, 1, referred_on=REFERRED)
    for r in mine + theirs:
        r.child.household = household
        r.child.save()
    manager = User.objects.create_user(username="closer", role=Role.TEAM_MANAGER)
    referral_close(referral=mine[-1], by=manager, closed_on=date(2025, 6, 10), reason="RC8")
    mine[-1].refresh_from_db()
    return mine, theirs


def test_a_visit_records_seen_and_seen_alone(alice, login):
    r = _referral(alice)
    _post(
        login(alice),
        f"/referrals/{r.pk}/visit/",
        kind="cin",
        child_seen="yes",
        seen_alone="no",
        **_date("visited_on", date(2025, 6, 11)),
    )
    visit = Visit.objects.get(referral=r)
    assert (visit.child_seen, visit.seen_alone, visit.visited_on) == (
        True,
        False,
        date(2025, 6, 11),
    )
    assert visit.worker == alice.worker


def test_one_visit_form_records_the_visit_for_chosen_siblings(alice, olive, login):
    mine, theirs = _household(alice, olive, n_open=3)
    client = login(alice)
    url = f"/referrals/{mine[0].pk}/visit/"
    form = client.get(url).context["form"]
    offered = {int(pk) for pk, _ in form.fields["siblings"].choices}
    assert offered == {mine[1].child_id, mine[2].child_id}  # not closed, not olive's
    s1, s2 = str(mine[1].child_id), str(mine[2].child_id)
    _post(
        client,
        url,
        kind="cin",
        child_seen="no",
        siblings=[s1, s2],
        siblings_seen=[s1, s2],
        siblings_seen_alone=[s2],
        **_date("visited_on", date(2025, 6, 11)),
    )
    got = {v.child_id: (v.child_seen, v.seen_alone) for v in Visit.objects.all()}
    assert got == {
        mine[0].child_id: (False, False),
        mine[1].child_id: (True, False),
        mine[2].child_id: (True, True),
    }


def test_a_sibling_visit_that_fails_for_one_child_saves_none(alice, olive, login):
    mine, _ = _household(alice, olive)
    builders.cp_plans([mine[0]], icpc_on=ICPC_ON)  # the sibling has no plan
    sibling = str(mine[1].child_id)
    response = login(alice).post(
        f"/referrals/{mine[0].pk}/visit/",
        {
            "form_token": "t",
            "kind": "cp",
            "child_seen": "yes",
            "seen_alone": "yes",
            "siblings": [sibling],
            "siblings_seen": [sibling],
            **_date("visited_on", date(2025, 6, 11)),
        },
    )
    assert response.context["form"].errors["kind"] == [errors.VISIT_CP_NEEDS_PLAN]
    assert not Visit.objects.exists()


def test_siblings_seen_must_be_on_the_visit(alice, olive, login):
    mine, _ = _household(alice, olive)
    response = login(alice).post(
        f"/referrals/{mine[0].pk}/visit/",
        {
            "form_token": "t",
            "kind": "cin",
            "child_seen": "yes",
            "siblings_seen": [str(mine[1].child_id)],
            **_date("visited_on", date(2025, 6, 11)),
        },
    )
    assert "as on this visit first" in response.context["form"].errors["siblings_seen"][0]
    siblings = {"siblings": ["999999"], "kind": "cin", "child_seen": "yes"}
    bad = login(alice).post(f"/referrals/{mine[0].pk}/visit/", {"form_token": "u", **siblings})
    assert "siblings" in bad.context["form"].errors
    assert not Visit.objects.exists()


def test_a_cp_visit_moves_the_next_visit_due(alice, login):
    plan = _plan(alice)
    _post(
        login(alice),
        f"/referrals/{plan.referral_id}/visit/",
        kind="cp",
        child_seen="yes",
        seen_alone="yes",
        **_date("visited_on", date(2025, 6, 13)),
    )
    visit = Visit.objects.get()
    assert visit.cp_plan_id == plan.pk and visit.seen_alone
    plan.refresh_from_db()
    assert plan.next_visit_due_on > date(2025, 6, 13)


def test_visit_form_keeps_a_draft(alice, login):
    r = _referral(alice)
    body = login(alice).get(f"/referrals/{r.pk}/visit/").content.decode()
    assert f'data-draft-key="{alice.pk}:visit-{r.pk}"' in body


def test_visit_form_reads_the_same_with_one_or_ten_siblings(alice, olive, login):
    client = login(alice)
    small, _ = _household(alice, olive, n_open=2)
    few = builders.page_reads(client, f"/referrals/{small[0].pk}/visit/")
    large = builders.caseload(alice.worker, 10, referred_on=REFERRED)
    household = Household.objects.create(reference="H2")
    for r in large:
        r.child.household = household
        r.child.save()
    many = builders.page_reads(client, f"/referrals/{large[0].pk}/visit/")
    assert few == many

"""A small authority in every access state, built relative to one viewer per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import RestrictionReason, Role, User
from accounts.services import child_restrict
from casework import services
from casework.codes import AbuseCategory
from casework.models import Child, ConferenceOutcome, S47Outcome, VisitKind
from earlyhelp import services as earlyhelp_services
from earlyhelp.codes import LeadAgency, RequestRoute
from tests.accounts.builders import (
    allocate,
    enter_in_error,
    make_child,
    make_team,
    make_user,
    on_contact,
)

STATES = (
    "own",
    "own_team",
    "other_team",
    "restricted_with_access",
    "restricted_without_access",
    "entered_in_error",
)
T, F = True, False
# What each role may see, per record state (issue 8 "Who may see what").
EXPECTED = {
    Role.SOCIAL_WORKER: dict(zip(STATES, (T, T, F, T, F, F), strict=True)),
    Role.TEAM_MANAGER: dict(zip(STATES, (T, T, F, T, F, F), strict=True)),
    Role.HEAD_OF_SERVICE: dict(zip(STATES, (T, T, T, T, F, F), strict=True)),
    Role.AUDITOR: dict(zip(STATES, (T, T, T, T, F, F), strict=True)),
    Role.ADMINISTRATOR: dict(zip(STATES, (T, T, T, T, F, T), strict=True)),
    # Business support see children on contacts (all of these are), identity only.
    Role.BUSINESS_SUPPORT: dict(zip(STATES, (T, T, T, T, F, F), strict=True)),
}


@dataclass
class World:
    viewer: User
    children: dict[str, Child]
    recorder: User  # made every case record (a head of service: every recording role)


def build_world(role: str) -> World:
    team_a, team_b = make_team(), make_team()
    viewer = make_user(role, team=team_a)
    teammate = make_user(Role.SOCIAL_WORKER, team=team_a)
    outsider = make_user(Role.SOCIAL_WORKER, team=team_b)
    restrictor = make_user(Role.HEAD_OF_SERVICE)
    holder = {
        "own": viewer,
        "own_team": teammate,
        "other_team": outsider,
        "restricted_with_access": outsider,
        "restricted_without_access": viewer,
        "entered_in_error": viewer,
    }
    children = {}
    for state in STATES:
        child = make_child(last_name=state)
        on_contact(child)
        case_records(allocate(child, holder[state]).referral, by=restrictor)
        children[state] = child
    review_on = timezone.localdate() + timedelta(days=90)
    for state, users in (("restricted_with_access", [viewer]), ("restricted_without_access", [])):
        child_restrict(
            child=children[state],
            by=restrictor,
            reason=RestrictionReason.HIGH_PROFILE,
            review_on=review_on,
            users=users,
        )
        children[state].refresh_from_db()
    enter_in_error(children["entered_in_error"])
    return World(viewer=viewer, children=children, recorder=restrictor)


def case_records(referral, *, by: User) -> None:
    """One of each record about a child, so every page and endpoint has a row to show,
    each made by the service a user would use (``by`` holds every recording role). The
    CP plan ends before the CIN plan starts: the census allows no CIN plan during one."""
    discussion = services.strategy_discussion_record(
        referral=referral, by=by, held_on=date(2026, 1, 7), s47_required=True
    )
    s47 = services.s47_submit_outcome(
        s47=discussion.s47, by=by, ended_on=date(2026, 1, 14), outcome=S47Outcome.ICPC
    )
    s47 = services.s47_complete(s47=s47, by=by)
    icpc = services.icpc_record(
        s47=s47, by=by, held_on=date(2026, 1, 20), outcome=ConferenceOutcome.PLAN
    )
    plan = services.cp_plan_start(icpc=icpc, by=by, category=AbuseCategory.NEGLECT)
    assessment = services.assessment_start(
        referral=referral, by=by, started_on=referral.referred_on
    )
    services.visit_record(
        referral=referral, by=by, kind=VisitKind.CP, assessment=assessment, cp_plan=plan,
        visited_on=date(2026, 1, 21), child_seen=True,
    )  # fmt: skip
    services.cp_plan_end(plan=plan, by=by, ended_on=date(2026, 1, 30), reason="Risk reduced")
    services.cin_plan_start(referral=referral, by=by, started_on=date(2026, 2, 2))
    earlyhelp_services.episode_request(
        by=by, child=referral.child, requested_on=date(2026, 1, 5), route=RequestRoute.PARTNER,
        requested_by_agency=LeadAgency.SCHOOL,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 (production's hasher, asserted in test_headers_and_deploy) costs ~0.5s a user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=list(EXPECTED), ids=str)
def world(request, db) -> World:
    return build_world(request.param)

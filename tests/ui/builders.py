"""Consistent case data for page tests, built with bulk_create so 1,000 rows are quick.

Each child gets an open referral (its CIN episode) and a current allocation to the
worker, so the child, episode, worker and team agree (style.md rule 13). Deeper steps
(assessments, s47s, plans) are added by the helpers below on the same episode.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from accounts.models import Role, User
from casework import timescales
from casework.models import (
    Allocation,
    AllocationReason,
    Assessment,
    Authority,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    ConferenceOutcome,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Worker,
    WorkerRole,
)
from casework.transitions import status_after
from referrals.models import Contact, ContactChild, Referral
from tests.factories import decided

_seq = itertools.count(1)
LONDON = ZoneInfo("Europe/London")


def authority() -> Authority:
    return Authority.objects.get_or_create(la_code="999", defaults={"name": "Test Borough"})[0]


def team(name: str | None = None) -> Team:
    return Team.objects.create(name=name or f"Team {next(_seq)}", service_area="front_door")


def user_with_worker(
    username: str, role: str, team: Team, *, worker_role: str | None = None, **worker_fields
) -> User:
    user = User.objects.create_user(username=username, password="pw-not-used-123", role=role)
    n = next(_seq)
    Worker.objects.create(
        user=user,
        staff_id=f"W{n:05d}",
        first_name=username.title(),
        last_name=f"Tester{n}",
        team=team,
        role=worker_role or role_for(role),
        started_on=date(2020, 1, 1),
        **worker_fields,
    )
    if role == Role.TEAM_MANAGER:
        team.manager = user.worker
        team.save()
    return user


def role_for(role: str) -> str:
    return {
        Role.SOCIAL_WORKER: WorkerRole.SOCIAL_WORKER,
        Role.TEAM_MANAGER: WorkerRole.TEAM_MANAGER,
        Role.HEAD_OF_SERVICE: WorkerRole.HEAD_OF_SERVICE,
    }.get(role, WorkerRole.BUSINESS_SUPPORT)


def children(n: int, *, last_name: str = "Child") -> list[Child]:
    rows = []
    for _ in range(n):
        k = next(_seq)
        rows.append(
            Child(
                la_child_id=f"LA{k:07d}",
                first_name=f"Kid{k}",
                last_name=last_name,
                date_of_birth=date(2015, 3, 27),
                sex="F",
            )
        )
    return Child.objects.bulk_create(rows)


def episodes(kids: list[Child], *, referred_on: date) -> list[Referral]:
    return Referral.objects.bulk_create(
        [Referral(child=c, referred_on=referred_on, source="2A") for c in kids]
    )


def allocate(referrals: list[Referral], worker: Worker, *, on: date, court_work=False):
    return Allocation.objects.bulk_create(
        [
            Allocation(
                child_id=r.child_id,
                referral=r,
                worker=worker,
                team=worker.team,
                started_on=on,
                reason=AllocationReason.NEW,
                court_work=court_work,
            )
            for r in referrals
        ]
    )


def caseload(worker: Worker, n: int, *, referred_on: date) -> list[Referral]:
    referrals = episodes(children(n), referred_on=referred_on)
    allocate(referrals, worker, on=referred_on)
    return referrals


def assessments(
    referrals: list[Referral],
    *,
    status=Assessment.Status.IN_PROGRESS,
    worker=None,
    authorised_by: User | None = None,
):
    """An assessment on each episode, started on the referral date and walked to ``status``
    by the services' decisions on that day (tests/factories/decided.py): a CIN plan
    outcome, and authorised by ``authorised_by`` (default a manager of no team)."""
    by_id = None
    if status == Assessment.Status.AUTHORISED:
        by_id = (authorised_by or _authoriser()).pk
    return Assessment.objects.bulk_create(
        [
            decided.assessment_to(
                Assessment(
                    child_id=r.child_id,
                    referral=r,
                    worker=worker,
                    started_on=r.referred_on,
                    due_on=timescales.assessment_due_on(r.referred_on),
                    dfe_due_on=timescales.assessment_dfe_due_on(r.referred_on),
                ),
                status,
                on=r.referred_on,
                by_id=by_id,
            )
            for r in referrals
        ]
    )


def _authoriser() -> User:
    return User.objects.get_or_create(username="authoriser", defaults={"role": Role.TEAM_MANAGER})[
        0
    ]


def s47s(referrals: list[Referral], *, held_on: date, status=Section47Enquiry.Status.OPEN):
    """An s47 from a strategy discussion on ``held_on``; submitted ones (walked by the
    services' decision) record an ICPC outcome on the same day."""
    discussions = StrategyDiscussion.objects.bulk_create(
        [
            StrategyDiscussion(child_id=r.child_id, referral=r, held_on=held_on, s47_required=True)
            for r in referrals
        ]
    )
    return Section47Enquiry.objects.bulk_create(
        [
            decided.s47_to(
                Section47Enquiry(
                    child_id=d.child_id,
                    referral=r,
                    strategy_discussion=d,
                    started_on=held_on,
                    icpc_due_on=timescales.icpc_due_on(held_on),
                ),
                status,
                ended_on=held_on,
            )
            for d, r in zip(discussions, referrals, strict=True)
        ]
    )


def cp_plans(referrals: list[Referral], *, icpc_on: date) -> list[ChildProtectionPlan]:
    icpcs = ChildProtectionConference.objects.bulk_create(
        [
            ChildProtectionConference(
                child_id=r.child_id,
                referral=r,
                kind=ConferenceKind.INITIAL,
                status=status_after(ChildProtectionConference, "hold"),
                due_on=icpc_on,
                held_on=icpc_on,
                outcome=ConferenceOutcome.PLAN,
            )
            for r in referrals
        ]
    )
    return ChildProtectionPlan.objects.bulk_create(
        [
            ChildProtectionPlan(
                child_id=c.child_id,
                referral_id=c.referral_id,
                icpc=c,
                started_on=icpc_on,
                initial_category="NEG",
                latest_category="NEG",
                first_core_group_due_on=timescales.first_core_group_due_on(icpc_on),
                next_review_due_on=timescales.first_review_due_on(icpc_on),
                next_visit_due_on=timescales.cp_visit_due_on(
                    icpc_on, standard=timescales.DEFAULT_CP_VISIT_WORKING_DAYS
                ),
            )
            for c in icpcs
        ]
    )


def contacts(kids_per_contact: list[list[Child]], *, received_on: date) -> list[Contact]:
    received_at = datetime.combine(received_on, datetime.min.time(), LONDON) + timedelta(hours=10)
    made = Contact.objects.bulk_create(
        [
            Contact(
                received_at=received_at,
                source="6",
                reason="Police notification",
                screening_due_on=timescales.screening_due_on(
                    received_at, timescales.screening_standard()
                ),
            )
            for _ in kids_per_contact
        ]
    )
    ContactChild.objects.bulk_create(
        [
            ContactChild(contact=c, child=k)
            for c, kids in zip(made, kids_per_contact, strict=True)
            for k in kids
        ]
    )
    return made


def analyze() -> None:
    """Refresh PostgreSQL's table statistics, as autovacuum does after a bulk load.

    Between the 10-row and the 1,000-row halves of a query-count test the planner would
    otherwise plan for the tables as they were, and a nested-loop plan chosen for ten
    rows runs for minutes on a thousand.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def page_reads(client, url) -> int:
    """SELECTs a page issues. Every request also has the same fixed overhead around them
    (ATOMIC_REQUESTS savepoints and the session save of SESSION_SAVE_EVERY_REQUEST)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))


def error_beside(body: str, field: str, message: str) -> bool:
    """The message is in the field's own GOV.UK error message, not only the summary."""
    import re

    pattern = (
        rf'id="id_{field}[_0-9]*_error"[^>]*>\s*<span[^>]*>Error:</span>\s*{re.escape(message)}'
    )
    return re.search(pattern, body) is not None


def restrict(child: Child, *, set_by: User, users=()) -> None:
    """Make ``child`` a restricted record seen only by ``users``."""
    from django.utils import timezone

    from accounts.models import RestrictedAccess

    Child.objects.filter(pk=child.pk).update(is_restricted=True)
    access = RestrictedAccess.objects.create(
        child=child,
        reason="other",
        review_on=date(2026, 1, 1),
        set_by=set_by,
        set_at=timezone.now(),
    )
    access.users.add(*users)

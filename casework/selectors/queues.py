"""The manager's authorisation queue: assessments and s47 outcomes awaiting sign-off."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from accounts.permissions import visible_to
from casework.models import Assessment, Section47Enquiry, Team
from casework.predicates import open_allocations


def _for_team(queryset: QuerySet, team: Team | None) -> QuerySet:
    """Scope to episodes currently allocated in ``team``; None means every team."""
    if team is None:
        return queryset
    allocated = open_allocations().filter(referral=OuterRef("referral"), team=team)
    return queryset.filter(Exists(allocated))


def assessments_awaiting_authorisation(*, user: User, team: Team | None) -> QuerySet[Assessment]:
    rows = (
        Assessment.objects.current()
        .filter(status=Assessment.Status.SUBMITTED)
        .select_related("child", "worker")
        .order_by("due_on", "pk")
    )
    return _for_team(visible_to(user, rows), team)


def s47s_awaiting_sign_off(*, user: User, team: Team | None) -> QuerySet[Section47Enquiry]:
    rows = (
        Section47Enquiry.objects.current()
        .filter(status=Section47Enquiry.Status.SUBMITTED)
        .select_related("child")
        .order_by("icpc_due_on", "pk")
    )
    return _for_team(visible_to(user, rows), team)

"""Reads for the API: each list's rows narrowed to what the user may see, with the
joins and prefetches its serializer needs, so a page costs the same queries at any size.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from api.visibility import visible_children, visible_rows
from casework.models import (
    Allocation,
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Visit,
    Worker,
)
from referrals.models import Contact, ContactChild, Referral


def child_list(*, user) -> QuerySet[Child]:
    return visible_children(user).order_by("last_name", "first_name", "pk")


def contact_children(*, user) -> QuerySet[Child]:
    """Children a new contact may name through the API: those the caller may open.

    The contact form takes LA child IDs and shows no names back; the API takes internal
    ids, which can be counted through, and answers with the contact's children by name,
    so naming a child one may not open is refused like an unknown id (issue 16, 3).
    """
    return visible_children(user)


def contact_list(*, user) -> QuerySet[Contact]:
    """Contacts naming at least one visible child; only visible children are listed."""
    lines = visible_rows(user, ContactChild.objects.select_related("child").order_by("pk"))
    contacts = Contact.objects.current().filter(
        pk__in=visible_rows(user, ContactChild.objects.all()).values("contact_id")
    )
    return contacts.prefetch_related(Prefetch("children", queryset=lines)).order_by(
        "-received_at", "-pk"
    )


def referral_list(*, user) -> QuerySet[Referral]:
    return (
        visible_rows(user, Referral.objects.current(), case_detail=True)
        .select_related("child")
        .order_by("-referred_on", "-pk")
    )


def _about_child(user, model, *order) -> QuerySet:
    return (
        visible_rows(user, model.objects.current(), case_detail=True)
        .select_related("child")
        .order_by(*order)
    )


def assessment_list(*, user) -> QuerySet[Assessment]:
    return _about_child(user, Assessment, "-started_on", "-pk")


def strategy_discussion_list(*, user) -> QuerySet[StrategyDiscussion]:
    return _about_child(user, StrategyDiscussion, "-held_on", "-pk").select_related("s47")


def s47_list(*, user) -> QuerySet[Section47Enquiry]:
    return _about_child(user, Section47Enquiry, "-started_on", "-pk")


def conference_list(*, user) -> QuerySet[ChildProtectionConference]:
    return _about_child(user, ChildProtectionConference, "-due_on", "-pk")


def cp_plan_list(*, user) -> QuerySet[ChildProtectionPlan]:
    return _about_child(user, ChildProtectionPlan, "-started_on", "-pk")


def cin_plan_list(*, user) -> QuerySet[CINPlan]:
    return _about_child(user, CINPlan, "-started_on", "-pk")


def visit_list(*, user) -> QuerySet[Visit]:
    return _about_child(user, Visit, "-visited_on", "-pk")


def allocation_list(*, user) -> QuerySet[Allocation]:
    return _about_child(user, Allocation, "-started_on", "-pk").select_related("worker", "team")


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("manager").order_by("name")


def worker_list() -> QuerySet[Worker]:
    return Worker.objects.select_related("team").order_by("last_name", "first_name", "pk")

"""Reads for the front door: contacts awaiting screening, and unallocated episodes."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.permissions import child_visible_q
from casework.models import Child, ChildProtectionPlan, CINPlan
from casework.predicates import open_allocations, open_episodes
from casework.selectors import children_visible_to
from referrals.models import Contact, ContactChild, Referral

HIDDEN_CHILD = "a child you cannot see"


def _visible(user: User) -> Q:
    """Rows whose child ``user`` may open (the one rule, on the rows' own child column)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return child_visible_q(user)


def contact_children(user: User) -> QuerySet[ContactChild]:
    """A contact's children, each marked ``child_visible``: a contact about siblings can
    name a child whose record ``user`` may not open (restricted, entered in error), and
    pages show that child without their name (no extra query: a subquery per row set)."""
    visible = ExpressionWrapper(_visible(user), output_field=BooleanField())
    return (
        ContactChild.objects.select_related("child")
        .annotate(child_visible=visible)
        .order_by("child__last_name", "child__first_name", "pk")
    )


def contacts_awaiting_decision(*, user: User) -> QuerySet[Contact]:
    """Contacts still to be screened about a child ``user`` may see, most urgent first,
    with their children (3 queries).

    The authority's contacts awaiting a decision are few (an index finds them) and are
    resolved first: given the sets of the visibility rule, PostgreSQL would otherwise
    join from them and read every contact's children (issue 25)."""
    awaiting = Contact.objects.current().filter(status=Contact.Status.AWAITING_DECISION)
    ids = list(awaiting.values_list("pk", flat=True))
    visible = ContactChild.objects.filter(_visible(user), contact_id__in=ids)
    children = contact_children(user)
    return (
        Contact.objects.filter(pk__in=ids)
        .filter(pk__in=visible.values("contact_id"))
        .select_related("recorded_by")
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("screening_due_on", "received_at", "pk")
    )


def unallocated_referrals(*, user: User) -> QuerySet[Referral]:
    """Open episodes with no current allocation for children ``user`` may see, oldest
    referral first (1 query)."""
    current = open_allocations().filter(referral=OuterRef("pk"))
    return (
        open_episodes()
        .filter(_visible(user))
        .exclude(Exists(current))
        .select_related("child")
        .order_by("referred_on", "pk")
    )


def contact_for(*, user: User, pk: int) -> Contact | None:
    """A contact about at least one child ``user`` may see, with its children."""
    visible = ContactChild.objects.filter(_visible(user))
    return Contact.objects.current().filter(pk=pk, pk__in=visible.values("contact_id")).first()


def referral_for(*, user: User, pk: int) -> Referral | None:
    return Referral.objects.current().filter(_visible(user), pk=pk).select_related("child").first()


def _count(queryset, child_field: str = "child") -> Subquery:
    """A correlated count per child (no join fan-out across several counts)."""
    counted = (
        queryset.filter(**{child_field: OuterRef("pk")})
        .order_by()
        .values(child_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def screening_history(*, contact: Contact, user: User, today: date) -> list[Child]:
    """What a screener needs about each child on ``contact`` they may see: earlier
    contacts, referrals in the last 12 months, plans ever, the open episode and the
    allocated worker (1 query, whatever the history)."""
    from casework.selectors.child_record import case_status, with_case_flags

    year_ago = today - timedelta(days=365)
    current = open_allocations().filter(child=OuterRef("pk"))
    episodes = open_episodes().filter(child=OuterRef("pk"))
    rows = with_case_flags(
        children_visible_to(user).filter(contacts__contact=contact).order_by("last_name", "pk")
    ).annotate(
        earlier_contacts=_count(
            ContactChild.objects.filter(contact__entered_in_error=False).exclude(contact=contact)
        ),
        referrals_12_months=_count(Referral.objects.current().filter(referred_on__gte=year_ago)),
        cp_plans_ever=_count(ChildProtectionPlan.objects.current()),
        cin_plans_ever=_count(CINPlan.objects.current()),
        open_since=Subquery(episodes.values("referred_on")[:1]),
        worker_first=Subquery(current.values("worker__first_name")[:1]),
        worker_last=Subquery(current.values("worker__last_name")[:1]),
        team_name=Subquery(current.values("team__name")[:1]),
    )
    children = list(rows)
    for child in children:
        child.status = case_status(child)
    return children

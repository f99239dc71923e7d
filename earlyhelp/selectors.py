"""Reads for early help pages and the front door's flags; all through the one
visibility rule (accounts.permissions)."""

from __future__ import annotations

from django.db.models import DateField, Exists, OuterRef, QuerySet, Value
from django.utils import timezone

from accounts.permissions import visible_to
from casework.codes import ClosureReason as CinClosure
from casework.predicates import episode_open_on
from earlyhelp.models import EarlyHelpEpisode
from earlyhelp.predicates import early_help_open, open_early_help_at_contact
from referrals.models import Contact, ContactChild, Referral
from referrals.selectors import contact_children


def episodes_visible_to(user) -> QuerySet[EarlyHelpEpisode]:
    return visible_to(user, EarlyHelpEpisode.objects.current(), case_detail=True)


def open_episodes(user) -> QuerySet[EarlyHelpEpisode]:
    return (
        episodes_visible_to(user)
        .filter(early_help_open())
        .select_related("child", "worker", "team")
        .order_by("next_review_due_on", "requested_on", "pk")
    )


def episode_for(*, user, pk: int) -> EarlyHelpEpisode | None:
    return episodes_visible_to(user).filter(pk=pk).select_related("child").first()


def child_episodes(child) -> list[EarlyHelpEpisode]:
    return list(
        EarlyHelpEpisode.objects.current().filter(child=child).order_by("-requested_on", "-pk")
    )


def step_down_referral(child, episodes: list[EarlyHelpEpisode]) -> Referral | None:
    """The child's latest CIN episode closed RC9 (case closed after assessment, referred to
    early help) that no early help episode came from yet, while none is open: the one a
    worker may step down from at closure (``referral_close`` never requests it itself)."""
    if any(e.closed_on is None for e in episodes):
        return None
    return (
        Referral.objects.current()
        .filter(child=child, closure_reason=CinClosure.RC9)
        .exclude(pk__in=[e.from_referral_id for e in episodes if e.from_referral_id])
        .order_by("-closed_on", "-pk")
        .first()
    )


def screening_lines(contact: Contact, user) -> QuerySet[ContactChild]:
    """The contact's children with what they were open to when it was received: an early
    help episode or a social care (CIN) episode. One query for the whole contact; a child
    ``user`` may not see is marked (``child_visible``) and the page names nothing of it."""
    received_on = timezone.localdate(contact.received_at)
    csc = Referral.objects.current().filter(episode_open_on(received_on), child=OuterRef("child"))
    return (
        contact_children(user)
        .filter(contact=contact)
        .annotate(received_on=Value(received_on, output_field=DateField()))
        .annotate(open_early_help=open_early_help_at_contact(), open_social_care=Exists(csc))
    )

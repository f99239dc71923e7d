"""What "open" means for early help, in SQL, for the KPIs and the pages alike."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.models import EarlyHelpEpisode


def live_episodes() -> QuerySet[EarlyHelpEpisode]:
    """Episodes that count: not entered in error, about a child not entered in error."""
    return EarlyHelpEpisode.objects.filter(entered_in_error=False, child__entered_in_error=False)


def early_help_open() -> Q:
    """Condition on an ``EarlyHelpEpisode`` query: open now (not closed)."""
    return Q(closed_on__isnull=True)


def open_early_help() -> QuerySet[EarlyHelpEpisode]:
    """Episodes open now (not closed, not entered in error): at most one a child."""
    return EarlyHelpEpisode.objects.current().filter(early_help_open())


def early_help_open_on(day_ref: str) -> Q:
    """Condition on an ``EarlyHelpEpisode`` query: open on the outer row's ``day_ref``."""
    return Q(requested_on__lte=OuterRef(day_ref)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=OuterRef(day_ref))
    )


def open_early_help_at_contact() -> Exists:
    """On a ``ContactChild`` query annotated with ``received_on``: the child had an early
    help episode open on the day of receipt, or this contact is the episode's step-up
    (which closes the episode that day). Used by the KPI and the screening page alike."""
    episodes = live_episodes().filter(child=OuterRef("child"))
    return Exists(
        episodes.filter(early_help_open_on("received_on") | Q(step_up_contact=OuterRef("contact")))
    )

"""Early help rows written directly (like tests/metrics/builders.py), for KPI tests."""

from datetime import date

from casework.transitions import status_after
from earlyhelp.models import EarlyHelpEpisode


def episode(child, requested_on, *, route="partner", closed_on=None, reason="", **kw):
    return EarlyHelpEpisode.objects.create(
        child=child,
        requested_on=requested_on,
        route=route,
        closed_on=closed_on,
        closure_reason=reason if closed_on else "",
        status=status_after(EarlyHelpEpisode, *(["close"] if closed_on else [])),
        **kw,
    )


def stepped_down_and_back(child) -> EarlyHelpEpisode:
    """A step-down assessed in May 2024 and closed with needs met in June 2024: open on
    3 June 2024; the child's referral of 2 September 2024 brings them back within 12
    months."""
    return episode(
        child,
        date(2024, 5, 1),
        route="step_down_assessment",
        assessment_started_on=date(2024, 5, 2),
        closed_on=date(2024, 6, 20),
        reason="needs_met",
    )

"""Early help episodes built through the real services, moved to a status."""

from datetime import date, timedelta

from earlyhelp import services
from earlyhelp.codes import LeadAgency, RequestRoute
from earlyhelp.models import EarlyHelpEpisode
from tests.factories.casework import ChildFactory

REQUESTED_ON = date(2025, 3, 3)  # a Monday
S = EarlyHelpEpisode.Status


def episode_in(status: str, *, by, child=None, requested_on: date = REQUESTED_ON):
    """A partner-requested episode moved to ``status``, each step a day after the last."""
    day = requested_on
    episode = services.episode_request(
        by=by,
        child=child or ChildFactory(),
        requested_on=day,
        route=RequestRoute.PARTNER,
        requested_by_agency=LeadAgency.SCHOOL,
        reason="Attendance falling; parent asked the school for help",
    )
    if status == S.REQUESTED:
        return episode
    episode = services.assessment_start(
        episode=episode,
        by=by,
        started_on=day + timedelta(days=1),
        consent_on=day + timedelta(days=1),
        lead_agency=LeadAgency.SCHOOL,
        lead_practitioner="Pat Teacher",
    )
    if status == S.ASSESSMENT:
        return episode
    episode = services.assessment_complete(
        episode=episode, by=by, completed_on=day + timedelta(days=8), needs=["education"]
    )
    if status == S.ASSESSED:
        return episode
    services.taf_member_add(
        episode=episode,
        by=by,
        name="Hali Visitor",
        agency=LeadAgency.HEALTH_VISITOR,
        joined_on=day + timedelta(days=9),
    )
    episode = services.plan_start(episode=episode, by=by, started_on=day + timedelta(days=10))
    if status == S.PLAN:
        return episode
    return services.episode_close(
        episode=episode, by=by, closed_on=day + timedelta(days=30), reason="needs_met"
    )

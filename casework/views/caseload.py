"""The team caseload board and the authorisation queue (managers)."""

from django.http import Http404
from django.shortcuts import render
from django_tables2 import RequestConfig

from accounts.audit import audit_table_page
from casework.models import Team
from casework.selectors import team_for
from casework.selectors.caseload import current_authority, team_caseloads
from casework.selectors.queues import assessments_awaiting_authorisation, s47s_awaiting_sign_off
from casework.tables import AssessmentQueueTable, CaseloadTable, S47QueueTable
from casework.views.access import managers_only


def chosen_team(request):
    """A manager sees their own team; those who see everything may pick one (?team=)."""
    if not request.user.sees_everything:
        return team_for(request.user)
    team_id = request.GET.get("team", "")
    if team_id.isdigit() and len(team_id) < 10:
        team = Team.objects.filter(pk=int(team_id)).first()
        if team is None:
            raise Http404
        return team
    return Team.objects.filter(is_active=True).order_by("name").first()


@managers_only
def caseload_board(request):
    team = chosen_team(request)
    authority = current_authority()
    table = None
    if team is not None:
        table = CaseloadTable(team_caseloads(team=team, authority=authority))
        table.caption = f"{team}: children per worker"
    teams = (
        Team.objects.filter(is_active=True).order_by("name") if request.user.sees_everything else []
    )
    context = {"team": team, "table": table, "authority": authority, "teams": teams}
    return render(request, "casework/caseload_board.html", context)


@managers_only
def authorisation_queue(request):
    team = None if request.user.sees_everything else team_for(request.user)
    assessments = AssessmentQueueTable(
        assessments_awaiting_authorisation(user=request.user, team=team),
        prefix="a-",
        empty_text="No assessments are waiting for authorisation.",
    )
    s47s = S47QueueTable(
        s47s_awaiting_sign_off(user=request.user, team=team),
        prefix="s-",
        empty_text="No section 47 outcomes are waiting for sign-off.",
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(assessments)
    RequestConfig(request, paginate={"per_page": 50}).configure(s47s)
    audit_table_page(request, assessments, s47s)
    context = {"team": team, "assessments": assessments, "s47s": s47s}
    return render(request, "casework/authorisation_queue.html", context)

"""The home page: each role lands on the work it does most."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Role
from casework.selectors import team_for
from casework.selectors.caseload import current_authority, team_caseloads, teams_overview
from casework.selectors.queues import assessments_awaiting_authorisation, s47s_awaiting_sign_off
from casework.tables import CaseloadTable
from referrals.selectors import contacts_awaiting_decision, unallocated_referrals


@login_required
def home(request):
    user = request.user
    if user.role == Role.SOCIAL_WORKER:
        return redirect("worktray")
    if user.role == Role.TEAM_MANAGER:
        return _manager_home(request)
    if user.sees_everything:
        return _head_of_service_home(request)
    return render(request, "casework/home.html")


def _queue_counts(user, team):
    return {
        "front_door": contacts_awaiting_decision(user=user).count(),
        "unallocated": unallocated_referrals(user=user).count(),
        "authorisation": assessments_awaiting_authorisation(user=user, team=team).count()
        + s47s_awaiting_sign_off(user=user, team=team).count(),
    }


def _manager_home(request):
    team = team_for(request.user)
    context = {"team": team, "counts": _queue_counts(request.user, team)}
    if team is not None:
        authority = current_authority()
        table = CaseloadTable(team_caseloads(team=team, authority=authority))
        table.caption = f"{team} caseloads"
        context.update(table=table, authority=authority)
    return render(request, "casework/home_manager.html", context)


def _head_of_service_home(request):
    authority = current_authority()
    context = {
        "authority": authority,
        "teams": teams_overview(authority=authority),
        "counts": _queue_counts(request.user, None),
    }
    return render(request, "casework/home_head_of_service.html", context)


@login_required
def keep_alive(request):
    """Touching the session (SESSION_SAVE_EVERY_REQUEST) restarts the idle timer."""
    return HttpResponse(status=204)

"""Pages of the workforce app: establishment, workforce figures, supervision, audits."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import can
from casework.models import Team
from workforce.permissions import teams_for


def workforce_roles(view):
    """Managers, heads of service, business support, auditors and administrators."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can(request.user, "workforce_view"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def team_or_404(user, pk: int) -> Team:
    team = teams_for(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team

"""Role checks for pages that are not about one child (queues, boards)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.models import Role

MANAGING_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR, Role.AUDITOR}


def managers_only(view):
    """Queues and boards are for managers and those who see everything; others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role not in MANAGING_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped

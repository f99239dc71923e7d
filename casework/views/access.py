"""Role checks for pages that are not about one child (queues, boards)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.permissions import can


def managers_only(view):
    """Queues and boards are for managers and those who see everything; others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can(request.user, "queues_view"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def may(operation: str):
    """A form page for one service ``operation``: 403 for a role the service refuses, so a
    read-only role (the auditor) is never shown a form it cannot submit (issue 16, 12)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, operation):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.operation = operation  # read by the access tests' walk of every page
        return wrapped

    return decorate

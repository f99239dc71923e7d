"""Recording that an API user saw or changed a child's data."""

from __future__ import annotations

import logging

from django.apps import apps

from accounts.audit import audit_children_access as _record_many

try:  # the security module (issue 8), once merged
    from accounts.audit import audit_child_access as _record
except ImportError:
    _record = None

VIEW, SEARCH, CHANGE = "view", "search", "change"
logger = logging.getLogger("caseflow.audit")


def audit_children_access(request, children, action: str) -> None:
    """One row per child a list shows, in one INSERT (``accounts.audit``)."""
    _record_many(request, children, action)


def audit_child_access(request, child, action: str) -> None:
    """Delegates to ``accounts.audit.audit_child_access``; until it exists, see below."""
    if _record is not None:
        _record(request, child, action)
        return
    child_id = getattr(child, "pk", child)
    http_request = getattr(request, "_request", request)
    path = http_request.get_full_path()[:500]
    user = request.user if request.user.is_authenticated else None
    try:
        model = apps.get_model("accounts", "AuditEvent")
    except LookupError:
        model = None
    if model is not None:  # pragma: no cover - only between the model and its helper landing
        from django.utils import timezone

        model.objects.create(
            user=user,
            child_id=child_id,
            action=action,
            path=path,
            occurred_at=timezone.now(),
            remote_addr=http_request.META.get("REMOTE_ADDR"),
        )
        return
    # No audit table yet: a structured log line is the record (JSON logs keep it).
    logger.info(
        "child_access user=%s child=%s action=%s path=%s",
        getattr(user, "pk", None),
        child_id,
        action,
        path,
    )

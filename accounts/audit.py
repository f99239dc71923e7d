"""Recording who looked at which child: helpers for views, DRF views and exports.

Pages whose URL names a child (a ``child`` keyword argument) are guarded and audited by
``accounts.middleware.ChildAccessMiddleware`` without any code in the view. Views that
show a child some other way (the API, exports, search results) call
``audit_child_access`` once per child shown, or ``audit_children_access`` for a list.

Each request writes at most one row per child and action, however many of these meet.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.permissions import visible_children
from accounts.services import audit_event_record, audit_events_record
from casework.models import Child

_AUDITED = "_caseflow_audited"


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the configured trusted proxy's header.

    A forwarding header is only believed when ``CASEFLOW_TRUSTED_PROXY_HEADER`` names it
    (the proxy in front of us sets it); otherwise anyone could claim any address. The
    proxy appends the address it saw, so with N trusted proxies the Nth from the right
    is the client's.
    """
    header = settings.CASEFLOW_TRUSTED_PROXY_HEADER
    remote = request.META.get("REMOTE_ADDR")
    if header and request.META.get(header):
        hops = [h.strip() for h in request.META[header].split(",") if h.strip()]
        count = settings.CASEFLOW_TRUSTED_PROXY_COUNT
        if len(hops) >= count:
            remote = hops[-count]
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        return None


def action_for(request: HttpRequest) -> str:
    safe = request.method in {"GET", "HEAD", "OPTIONS"}
    return AuditEvent.Action.VIEW if safe else AuditEvent.Action.CHANGE


def audit_child_access(request: HttpRequest, child, action: str | None = None) -> None:
    """Record that ``request.user`` saw (or exported, changed, searched) ``child``.

    ``child`` may be a Child, its id, or None (a search with no single child). Calling
    this again in the same request for the same child and action writes nothing more.
    """
    http_request = getattr(request, "_request", request)  # DRF wraps the HttpRequest
    action = action or action_for(http_request)
    child_id = getattr(child, "pk", child)
    seen = http_request.__dict__.setdefault(_AUDITED, set())
    if (child_id, action) in seen:
        return
    seen.add((child_id, action))
    audit_event_record(
        user=request.user,
        child=child_id,
        action=action,
        path=http_request.get_full_path(),
        object_repr=str(child) if child is not None and not isinstance(child, int) else "",
        remote_addr=client_address(http_request),
    )


def audit_children_access(request: HttpRequest, children, action: str | None = None) -> None:
    """``audit_child_access`` for every child a list or export shows, in one query."""
    http_request = getattr(request, "_request", request)
    action = action or action_for(http_request)
    seen = http_request.__dict__.setdefault(_AUDITED, set())
    fresh = []
    for child in children:
        child_id = getattr(child, "pk", child)
        if (child_id, action) not in seen:
            seen.add((child_id, action))
            fresh.append(child_id)
    if fresh:
        audit_events_record(
            user=request.user,
            child_ids=fresh,
            action=action,
            path=http_request.get_full_path(),
            remote_addr=client_address(http_request),
        )


def audit_table_page(request: HttpRequest, *tables, children_of=None, also=()) -> None:
    """One audit row per child the work lists show on this page of their tables (issue
    16, finding 5: a list of children is a read of each), written by one statement for
    all the page's tables. ``children_of(record)`` gives the children a row shows by
    name; by default the row's ``child``. The page's rows are the ones the template
    renders, already fetched, so this reads nothing more. ``also``: children the page
    shows outside its tables (a panel)."""
    # The id where the row has it, so an unselected child is never fetched to be audited.
    children_of = children_of or (
        lambda record: [getattr(record, "child_id", None) or record.child]
    )
    shown = [
        child for table in tables for row in table.paginated_rows
        for child in children_of(row.record)
    ] + list(also)  # fmt: skip
    audit_children_access(request, shown)


def audit_children_queryset(
    request: HttpRequest, children: QuerySet[Child], action: str | None = None
) -> int:
    """One audit row per child in ``children``, written by one INSERT ... SELECT.

    For reads holding thousands of children (a statutory return, a census check): no
    child is read into Python and the cost is one statement whatever the size. Returns
    the number of rows written.
    """
    http_request = getattr(request, "_request", request)
    action = action or action_for(http_request)
    user = request.user if request.user.is_authenticated else None
    ids_sql, ids_params = children.order_by().values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(c)
        for c in ("user_id", "child_id", "action", "path", "object_repr", "occurred_at",
                  "remote_addr")
    )  # fmt: skip
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "
        f"SELECT %s, c.{quote('id')}, %s, %s, '', %s, %s FROM {quote(Child._meta.db_table)} c "
        f"WHERE c.{quote('id')} IN ({ids_sql})"
    )
    params = (
        getattr(user, "pk", None),
        action,
        http_request.get_full_path()[:500],
        connection.ops.adapt_datetimefield_value(timezone.now()),
        client_address(http_request),
    )
    with connection.cursor() as cursor:
        # Parameters in SQL order: the SELECT list's, then the subquery's.
        cursor.execute(sql, (*params, *ids_params))
        return cursor.rowcount


def child_or_404(request: HttpRequest, child_id) -> Child:
    """The child, if the user may know it exists; otherwise a 404 (not a 403)."""
    try:
        return visible_children(request.user).get(pk=int(child_id))
    except (ValueError, TypeError, Child.DoesNotExist):
        raise Http404("No such child") from None

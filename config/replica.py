"""Reads from a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``), where stale
by a moment is fine.

Which reads: only the KPI pages, their drill-downs and their downloads (the views named
in ``REPLICA_VIEWS``) for a GET. Everything else, every write and every background job
uses the primary. A view opts in here, by name, rather than the router guessing from
the model: a page that shows what the user has just changed must never read a replica
that has not replayed it yet.

Inside those views the visibility rule's tables (teams, allocations, restrictions and
access lists) are read on the replica too, in the same SQL: a restriction made a moment
ago reaches a drill-down's list when the replica has replayed it (streaming lag, normally
well under a second). The child record and every other page read the primary.

Reading your own writes: a session that sent a POST (or any unsafe method) reads the
primary for ``CASEFLOW_REPLICA_STICKY_SECONDS`` afterwards, so the page a form redirects
to shows the change it made, even with the replica lagging.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
REPLICA_VIEWS = frozenset({"metrics:dashboard", "metrics:kpi", "metrics:drilldown"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WROTE_AT = "caseflow_wrote_at"

_reading_replica: ContextVar[bool] = ContextVar("caseflow_reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and settings.CASEFLOW_READ_REPLICA


class ReplicaRouter:
    """Reads go to the replica only inside an opted-in request; writes never do."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


def _wrote_recently(request) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    wrote_at = session.get(WROTE_AT)
    sticky = settings.CASEFLOW_REPLICA_STICKY_SECONDS
    return wrote_at is not None and time.time() - wrote_at < sticky


class ReplicaReadsMiddleware:
    """Marks the requests that may read the replica, and the sessions that just wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        token = _reading_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
        if request.method not in SAFE_METHODS and getattr(request, "session", None) is not None:
            request.session[WROTE_AT] = time.time()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            replica_configured()
            and match is not None
            and match.view_name in REPLICA_VIEWS
            and request.method in SAFE_METHODS
            and not _wrote_recently(request)
        ):
            _reading_replica.set(True)
        return None

"""Health endpoints.

``/healthz`` checks the dependencies every request needs (database, broker);
``/readyz`` adds a Celery worker answering a ping and migrations being applied.
Each answers JSON naming every check, 200 when all pass and 503 naming the failures.
"""

import contextlib
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

Check = Callable[[], str]


def check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Drop the broken connection so the next request reconnects once the server is back.
        with contextlib.suppress(Exception):  # already broken; closing is best effort
            connection.close()
        raise
    return "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (in-process tasks)"
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0.5, timeout=2)
    return "ok"


def check_worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (in-process tasks)"
    from config.celery import app

    # The broker check's URL, so both checks look at the same broker.
    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        replies = app.control.inspect(timeout=2, connection=conn).ping() or {}
    if not replies:
        raise RuntimeError("no worker answered a ping")
    return f"ok ({len(replies)} worker(s))"


def check_migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    return "ok"


def _run(checks: dict[str, Check], needs: dict[str, str] | None = None) -> JsonResponse:
    """Run ``checks`` in order; a check named in ``needs`` is skipped when the check it
    needs has failed (no worker can answer a ping through a broker that is down, and
    asking would only add the ping's timeout and reconnects to a 503 already decided)."""
    results: dict[str, str] = {}
    failing: list[str] = []
    for name, check in checks.items():
        needed = (needs or {}).get(name)
        if needed in failing:
            results[name] = f"not checked: {needed} unavailable"
            continue
        try:
            results[name] = check()
        except Exception as exc:  # any failure means "down": name it, never a 500
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
            failing.append(name)
    status = "ok" if not failing else "unavailable"
    body = {"status": status, "checks": results, "failing": failing}
    return JsonResponse(body, status=200 if not failing else 503)


# Not wrapped in ATOMIC_REQUESTS' transaction: opening it needs the database, and a
# database that is down must give a 503 naming it, not a 500.
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    return _run({"database": check_database, "broker": check_broker})


@transaction.non_atomic_requests
@never_cache
@require_GET
def readyz(request):
    return _run(
        {
            "database": check_database,
            "broker": check_broker,
            "worker": check_worker,
            "migrations": check_migrations,
        },
        needs={"worker": "broker"},
    )


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_PROBES = {"/healthz": healthz, "/readyz": readyz}


def _host_name(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class LoopbackProbeMiddleware:
    """Answer a container's own health probe (``curl http://127.0.0.1:8000/readyz``).

    The probe comes from inside the container over plain http with Host 127.0.0.1, so it
    would otherwise get 400 (the Host is not in ALLOWED_HOSTS) or a 301 to https (which
    ``curl -f`` counts as healthy). Rather than add loopback names to ALLOWED_HOSTS for
    every page - letting any request that spoofs ``Host: localhost`` through the host
    check, into absolute URLs built from it - only the two probe paths are answered here,
    and only when both the Host and the peer address are loopback. They read no Host,
    session or user, so skipping the middleware below them changes nothing else.
    Other probes (a load balancer's, with a real Host) go the normal way;
    SECURE_REDIRECT_EXEMPT keeps those from being redirected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = _PROBES.get(request.path_info)
        if (
            probe is not None
            and request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}
            and _host_name(request.META.get("HTTP_HOST", "")) in _LOOPBACK
        ):
            return probe(request)
        return self.get_response(request)

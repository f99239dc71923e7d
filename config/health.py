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
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def check_worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (in-process tasks)"
    from config.celery import app

    replies = app.control.inspect(timeout=2).ping() or {}
    if not replies:
        raise RuntimeError("no worker answered a ping")
    return f"ok ({len(replies)} worker(s))"


def check_migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    return "ok"


def _run(checks: dict[str, Check]) -> JsonResponse:
    results: dict[str, str] = {}
    failing: list[str] = []
    for name, check in checks.items():
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
        }
    )

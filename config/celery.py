"""The Celery application. Periodic jobs are declared here, once."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging
from django.db import InterfaceError, OperationalError
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Task options for jobs that touch the database: a dropped or restarting database
# connection (OperationalError, or InterfaceError once the connection is unusable) is
# transient, so retry with exponential backoff and jitter rather than fail the job; the
# jobs are idempotent upserts, so running one again is safe. Anything else fails at once
# and lands in the dead-letter table (ops.jobs).
TRANSIENT_DB_RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}

app = Celery("caseflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Statutory returns live in a package of the metrics app, not an app of their own.
app.autodiscover_tasks(["metrics.returns"])
# Carries the web request's request_id into task logs (django-structlog).
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def _use_django_logging(**kwargs):
    """Keep Celery from replacing the structured logging configured in settings."""
    from django.conf import settings

    from config.logging import configure

    configure(level=settings.CASEFLOW_LOG_LEVEL, json=settings.CASEFLOW_LOG_JSON)


app.conf.beat_schedule = {
    "nightly-kpi-recompute": {
        "task": "metrics.tasks.compute_all_kpis",
        "schedule": crontab(hour=2, minute=15),
    },
    "nightly-used-form-token-purge": {
        "task": "casework.purge_used_form_tokens",
        "schedule": crontab(hour=3, minute=5),
    },
    "monthly-audit-sample": {
        "task": "workforce.tasks.draw_audit_samples",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
}


@app.task(name="config.ping")
def ping() -> str:
    """Round-trip check used by readiness probes and the job tests."""
    return "pong"

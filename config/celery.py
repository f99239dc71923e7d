"""The Celery application. Periodic jobs are declared here, once."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("caseflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Statutory returns live in a package of the metrics app, not an app of their own.
app.autodiscover_tasks(["metrics.returns"])

app.conf.beat_schedule = {
    "nightly-kpi-recompute": {
        "task": "metrics.tasks.compute_all_kpis",
        "schedule": crontab(hour=2, minute=15),
    },
}


@app.task(name="config.ping")
def ping() -> str:
    """Round-trip check used by readiness probes and the job tests."""
    return "pong"

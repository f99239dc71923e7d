"""Celery entry point: the monthly case file audit sample (beat: config/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from config.celery import TRANSIENT_DB_RETRY as RETRY
from workforce.services.audits import audit_sample_draw


@shared_task(name="workforce.tasks.draw_audit_samples", **RETRY)
def draw_audit_samples() -> int:
    """Idempotent for a month: teams already drawn are skipped."""
    return len(audit_sample_draw(month=timezone.localdate()))

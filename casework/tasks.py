"""Housekeeping jobs for casework (scheduled in config/celery.py)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from casework.models import UsedFormToken

# A form's token only matters while the form can still be sent again: a session lasts at
# most 10 hours, so a month is far longer than any resend or back-button can come.
USED_TOKEN_DAYS = 30


@shared_task(name="casework.purge_used_form_tokens")
def purge_used_form_tokens() -> int:
    """Forget form tokens used more than USED_TOKEN_DAYS ago; returns how many."""
    cutoff = timezone.now() - timedelta(days=USED_TOKEN_DAYS)
    deleted, _ = UsedFormToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted

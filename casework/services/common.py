"""Plumbing every service shares: lock, check the from-status, save with history."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django_fsm import can_proceed

from casework import errors
from casework.errors import DomainError

M = TypeVar("M", bound=models.Model)


def lock(obj: M) -> M:
    """Re-read ``obj`` with a row lock, so two users acting at once serialise."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def check_transition(obj, transition, *, action: str, thing: str) -> None:
    """Refuse a transition the model's declared table does not allow from this status."""
    if not can_proceed(transition):
        status = obj.get_status_display().lower()
        raise DomainError(
            errors.NOT_ALLOWED_FROM_STATUS.format(action=action, thing=thing, status=status),
            field="status",
        )


def save(obj: M, *, by, why: str) -> M:
    """Save a case record: bump its version and make the history row say who and why."""
    if obj.pk is not None:
        obj.version += 1
    obj._history_user = by
    obj._change_reason = why
    obj.save()
    return obj


def require_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(errors.REASON_REQUIRED, field=field)
    return reason


def actor(by) -> str:
    return by.get_full_name() or by.get_username()

"""Plumbing every service shares: lock (at the version the user saw), check the from-status,
save with history."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_fsm import can_proceed

from casework import errors
from casework.errors import ConflictError, DomainError
from casework.signals import record_dated

M = TypeVar("M", bound=models.Model)
CHANGE_REASON_MAX = 100


def lock(obj: M) -> M:
    """Re-read ``obj`` with a row lock, so two users acting at once serialise."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


ExpectedVersion = int | Collection[int] | None
"""The version of a record the user saw, as every service that edits a record takes it
(``expected_version``): a page form's one version, the API's If-Match versions (a header
may name several: any of them will do), or None to check nothing (the generator, the
importer, a service calling another). ``accepted_versions`` reads it, the one normaliser."""


def accepted_versions(expected_version: ExpectedVersion) -> frozenset[int] | None:
    """The versions ``expected_version`` accepts; None when it checks nothing."""
    if expected_version is None:
        return None
    if isinstance(expected_version, int):
        return frozenset({expected_version})
    return frozenset(expected_version)


def check_version(record: models.Model, expected_version: ExpectedVersion) -> None:
    """Refuse ``record`` if it is not at a version the user saw (``ConflictError`` on
    ``version``). Only a locked row settles it (``lock_at_version``); the API also asks it
    of the row it read, so a stale If-Match is refused before the body is read."""
    accepted = accepted_versions(expected_version)
    if accepted is not None and record.version not in accepted:
        raise ConflictError(errors.CONFLICT, field="version")


def lock_at_version(
    record: M | models.QuerySet,
    expected_version: ExpectedVersion = None,
    *,
    pk=None,
) -> M:
    """The row re-read under a row lock, refused if it is no longer at the version the user saw.

    The one place a version is compared (pages, the API and the services all come here).
    Locking first means a change landing between the check and the write cannot slip
    through: it waits for this transaction, and then the versions differ.

    ``record`` is a loaded row, or a queryset of the rows the caller may see plus ``pk``
    (a row outside it raises the model's ``DoesNotExist``). ``expected_version``: see
    ``ExpectedVersion``.
    """
    if isinstance(record, models.QuerySet):
        try:
            locked = record.select_for_update().get(pk=pk)
        except (TypeError, ValueError, ValidationError):
            # An id no row could have ("abc" from a form or a URL) is a row not found, as
            # Django's get_object_or_404 treats it: a 404 for the caller, never a 500.
            raise record.model.DoesNotExist(f"No {record.model.__name__} {pk!r}") from None
    else:
        locked = lock(record)
    check_version(locked, expected_version)
    return locked


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
    stored_day = _stored_event_day(obj)
    obj._history_user = by
    # simple-history's change reason column holds 100 characters; the full reason
    # (a return or error reason) is kept on the record itself.
    obj._change_reason = (
        why if len(why) <= CHANGE_REASON_MAX else why[: CHANGE_REASON_MAX - 1] + "…"
    )
    obj.save()
    days = [d for d in (event_day(obj), stored_day) if d is not None]
    if days:
        record_dated.send(sender=type(obj), record=obj, day=min(days))
    return obj


def _stored_event_day(obj) -> date | None:
    """The event day of the row as stored, before this save changes it.

    A date moved later (an authorisation corrected from June to July) must recompute
    the period it left as well as the one it joined. One read of the row, only when the
    incremental recompute is on.
    """
    if obj.pk is None or not settings.CASEFLOW_KPI_INCREMENTAL:
        return None
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return event_day(stored) if stored is not None else None


def event_day(obj) -> date | None:
    """The earliest date a KPI can read off this record (due dates are not events).

    Every period ending on or after it is recomputed, so using the earliest covers a
    record whose several dates changed at once.
    """
    if obj._meta.model_name in {"child", "household", "casenote"}:
        return None  # identity or narrative, not a KPI event: nothing to recompute
    days = []
    for field in obj._meta.concrete_fields:
        if "due" in field.name or field.name in {"created_at", "updated_at"}:
            continue
        value = getattr(obj, field.attname, None)
        if isinstance(value, datetime):
            days.append(timezone.localdate(value))
        elif isinstance(value, date):
            days.append(value)
    return min(days, default=None)


def require_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(errors.REASON_REQUIRED, field=field)
    return reason


def actor(by) -> str:
    return by.get_full_name() or by.get_username()

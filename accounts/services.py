"""Writes for access control: restricted records and the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import errors
from accounts.models import AuditEvent, RestrictedAccess, RestrictionReason, User
from accounts.permissions import can, can_view_child
from casework.models import Child
from casework.services.common import lock, save


def audit_event_record(
    *,
    user: User | None,
    child: Child | int | None,
    action: str,
    path: str,
    object_repr: str = "",
    remote_addr: str | None = None,
) -> AuditEvent:
    """Append one audit row (issue 8: who, which child, what, when in UTC, from where)."""
    child_id = child if isinstance(child, int) or child is None else child.pk
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        child_id=child_id,
        action=action,
        path=path[:500],
        object_repr=object_repr[:200],
        occurred_at=timezone.now(),
        remote_addr=remote_addr,
    )


def audit_events_record(
    *,
    user: User | None,
    child_ids: Iterable[int],
    action: str,
    path: str,
    remote_addr: str | None = None,
) -> list[AuditEvent]:
    """Append one audit row per child in one INSERT (a list or export shows many)."""
    now = timezone.now()
    user = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.bulk_create(
        AuditEvent(user=user, child_id=child_id, action=action, path=path[:500],
                   occurred_at=now, remote_addr=remote_addr)
        for child_id in child_ids
    )  # fmt: skip


@transaction.atomic
def child_restrict(
    *,
    child: Child,
    by: User,
    reason: RestrictionReason | str,
    review_on: date,
    users: Iterable[User],
    reason_detail: str = "",
) -> RestrictedAccess:
    """Restrict a child's record to a named access list (issue 8, "Restricted records").

    Everyone not on the list loses sight of the child in pages, search, exports and KPI
    drill-downs; the child still counts in KPI totals. The person restricting stays on
    the list so the record does not vanish from under them. Restricting again replaces
    the reason, review date and list: the previous restriction is kept, marked lifted.
    """
    if not can(by, "child_restrict"):
        raise errors.AccessError(errors.RESTRICT_NOT_ALLOWED)
    if not can_view_child(by, child):
        raise errors.AccessError(errors.RESTRICT_CANNOT_SEE)
    if review_on <= timezone.localdate():
        raise errors.AccessError(errors.RESTRICT_NEEDS_REVIEW_DATE)
    child = lock(child)
    now = timezone.now()
    _lift_current(child, by=by, at=now, reason=REPLACED)
    access = RestrictedAccess.objects.create(
        child=child,
        reason=reason,
        reason_detail=reason_detail,
        review_on=review_on,
        set_by=by,
        set_at=now,
    )
    access.users.set({*users, by})
    if not child.is_restricted:
        child.is_restricted = True
        save(child, by=by, why="Record restricted")
    audit_event_record(
        user=by,
        child=child,
        action=AuditEvent.Action.CHANGE,
        path="accounts.services.child_restrict",
        object_repr=f"Restricted: {access.get_reason_display()}",
    )
    return access


REPLACED = "Replaced by a new restriction"


@transaction.atomic
def child_unrestrict(*, child: Child, by: User, reason: str) -> Child:
    """Lift a restriction: the ordinary rule applies again. The restriction row is kept,
    marked lifted by whom, when and why; audited as a change.
    """
    child = lock(child)
    if not child.is_restricted:
        raise errors.AccessError(errors.UNRESTRICT_NOT_RESTRICTED)
    on_list = RestrictedAccess.objects.filter(
        child=child, lifted_at__isnull=True, users=by
    ).exists()
    if not (on_list or can(by, "restriction_lift_any")):
        raise errors.AccessError(errors.UNRESTRICT_NOT_ALLOWED)
    if not reason.strip():
        raise errors.AccessError(errors.UNRESTRICT_NEEDS_REASON)
    _lift_current(child, by=by, at=timezone.now(), reason=reason.strip())
    child.is_restricted = False
    save(child, by=by, why="Restriction lifted")
    audit_event_record(
        user=by,
        child=child,
        action=AuditEvent.Action.CHANGE,
        path="accounts.services.child_unrestrict",
        object_repr=f"Restriction lifted: {reason.strip()}",
    )
    return child


def _lift_current(child: Child, *, by: User, at, reason: str) -> None:
    RestrictedAccess.objects.filter(child=child, lifted_at__isnull=True).update(
        lifted_at=at, lifted_by=by, lifted_reason=reason
    )


def two_factor_device_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, made on first visit to enrolment.

    Only called for a user with no confirmed device: a confirmed device can never be
    replaced from a session that has not passed its own code (see views.two_factor_setup).
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def two_factor_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment when the first code from the app matches; False otherwise."""
    device = lock(device)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True

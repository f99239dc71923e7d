"""Sign-in's second step (TOTP enrolment and verification), the record audit page and
restricting records (administrators)."""

from __future__ import annotations

import functools
from io import BytesIO
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from accounts import errors
from accounts.audit import child_or_404
from accounts.forms import LiftForm, RestrictForm
from accounts.models import AuditEvent, RestrictedAccess
from accounts.permissions import can, visible_children
from accounts.services import (
    child_restrict,
    child_unrestrict,
    two_factor_device_confirm,
    two_factor_device_start,
)
from casework.errors import DomainError
from casework.views.recording import recording_page

TOKEN_WRONG = "Enter the 6-digit code shown in your authenticator app"
AUDIT_PAGE_SIZE = 50


class TokenForm(forms.Form):
    token = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="Security code",
        error_messages={"required": TOKEN_WRONG, "invalid": TOKEN_WRONG},
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else "/"


def _qr_svg(data: str) -> str:
    out = BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # drop the XML declaration for inline use


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code, then type its first code."""
    if user_has_device(request.user):
        # Never replace a device from a session that has not passed it.
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next_url(request))}")
    device = two_factor_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if two_factor_device_confirm(device=device, token=form.cleaned_data["token"].strip()):
            device.refresh_from_db()
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", TOKEN_WRONG)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": secret,
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request):
    """The second step after the password: a code from the enrolled app."""
    if not user_has_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?next={quote(_next_url(request))}")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", TOKEN_WRONG)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def child_audit(request, child: int):
    """Who has viewed, exported or changed this child's record: managers and admins.

    ChildAccessMiddleware has already answered 404 for a child this user may not see.
    """
    if not can(request.user, "child_audit_view"):
        raise PermissionDenied
    record = child_or_404(request, child)
    events = AuditEvent.objects.filter(child=record).select_related("user")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/child_audit.html", {"child": record, "page": page})


# AccessError message -> the form field it is about (others go to the error summary).
_ACCESS_ERROR_FIELDS = {errors.RESTRICT_NEEDS_REVIEW_DATE: "review_on"}


def _administrators_only(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can(request.user, "restrictions_manage"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _as_domain_error(call):
    """Run an accounts service so its AccessError shows beside the field, like others."""

    def run(form):
        try:
            return call(form)
        except errors.AccessError as error:
            raise DomainError(str(error), field=_ACCESS_ERROR_FIELDS.get(str(error))) from error

    return run


@_administrators_only
def restrictions(request):
    """Current restrictions, review date first: the records an administrator looks after.

    Administrators may lift any restriction, so they see which records are restricted
    (LA child ID, reason, review date); a name only where they are on the access list.
    """
    current = (
        RestrictedAccess.objects.filter(lifted_at__isnull=True)
        .select_related("child", "set_by")
        .order_by("review_on", "pk")
    )
    visible = set(
        visible_children(request.user).filter(is_restricted=True).values_list("pk", flat=True)
    )
    rows = [(r, r.child_id in visible) for r in current]
    return render(request, "accounts/restrictions.html", {"rows": rows})


@_administrators_only
def restriction_new(request):
    def call(form):
        data = form.cleaned_data
        return child_restrict(
            child=data["la_child_id"],
            by=request.user,
            reason=data["reason"],
            reason_detail=data["reason_detail"],
            review_on=data["review_on"],
            users=data["users"],
        )

    return recording_page(
        request,
        form_class=RestrictForm,
        # A restricted child one is not on the list for reads as "not found", as it does
        # on the contact form.
        form_kwargs={"children_qs": visible_children(request.user).filter(entered_in_error=False)},
        call=_as_domain_error(call),
        success_url=reverse("restrictions"),
        success_message="Record restricted",
        title="Restrict a child's record",
        submit_label="Restrict record",
    )


@_administrators_only
def restriction_lift(request, pk: int):
    restriction = (
        RestrictedAccess.objects.filter(pk=pk, lifted_at__isnull=True)
        .select_related("child")
        .first()
    )
    if restriction is None:
        raise Http404

    def call(form):
        return child_unrestrict(
            child=restriction.child, by=request.user, reason=form.cleaned_data["reason"]
        )

    return recording_page(
        request,
        form_class=LiftForm,
        call=_as_domain_error(call),
        success_url=reverse("restrictions"),
        success_message="Restriction lifted",
        title="Lift the restriction",
        caption=f"LA child ID {restriction.child.la_child_id}",
        submit_label="Lift restriction",
    )

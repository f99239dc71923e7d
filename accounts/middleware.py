"""Request-wide access controls (issue 8). Order in settings.MIDDLEWARE matters:
all of these run after AuthenticationMiddleware and django-otp's OTPMiddleware.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_otp import user_has_device

from accounts.audit import audit_child_access, child_or_404
from accounts.child_pages import CHILD_PAGES, SEARCH_PAGES
from accounts.models import AuditEvent
from accounts.permissions import CHILD_URL_KWARGS, can_view_case_detail

SIGNED_IN_AT = "caseflow_signed_in_at"


class SessionLifetimeMiddleware:
    """End a session 10 hours after sign-in however busy, and as soon as the account
    is disabled. The 30-minute idle limit is the session cookie age, renewed on every
    request (SESSION_COOKIE_AGE, SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated and SESSION_KEY in request.session:
            # The session names a user the backend no longer accepts (disabled, removed).
            logout(request)
        elif user.is_authenticated:
            now = timezone.now().timestamp()
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            too_old = now - signed_in_at > settings.CASEFLOW_SESSION_MAX_AGE_SECONDS
            # ModelBackend already refuses inactive users; this also covers backends
            # that do not, and clears the session rather than leaving it to linger.
            if too_old or not user.is_active:
                logout(request)
        return self.get_response(request)


def record_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver: the absolute session limit counts from here."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()


TWO_FACTOR_EXEMPT = {"login", "logout", "two_factor_setup", "two_factor_verify"}


class TwoFactorRequiredMiddleware:
    """With CASEFLOW_REQUIRE_2FA, a signed-in user must pass a TOTP check before any page:
    without a device they are sent to enrol one, with one to verify a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.CASEFLOW_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and not _two_factor_exempt(request.path_info)
        ):
            return _second_step(request, user)
        return self.get_response(request)


def _two_factor_exempt(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in TWO_FACTOR_EXEMPT or getattr(match.func, "two_factor_exempt", False)


def _second_step(request, user):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Two-factor verification required."}, status=403)
    target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
    return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")


class NoStoreMiddleware:
    """Nothing shown to a signed-in user (child data) may be kept by a browser or proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # includes no-store and private
        return response


class ChildAccessMiddleware:
    """Every page showing a child's data is audited here; URLs naming a child are guarded.

    A URL naming a child (kwarg in CHILD_URL_KWARGS): a child the user may not see
    answers 404, so its existence is not disclosed; business support get 403 on case
    pages unless the view is marked ``child_identity_only``. Pages finding their children
    another way are listed in ``accounts.child_pages`` (their views decide 404; the
    case-detail 403 is applied here, before any lookup). A
    successful response (below 400) writes one audit row per child shown: a view, or a
    change when a form was accepted (a redirect after POST); search pages write one
    search row.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400:
            action = _action(request, response)
            for child in getattr(request, "_caseflow_children", ()):
                audit_child_access(request, child, action)
            if getattr(request, "_caseflow_search", False):
                audit_child_access(request, None, AuditEvent.Action.SEARCH)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.view_name if match else None
        if name in SEARCH_PAGES:
            request._caseflow_search = bool(request.GET.get(SEARCH_PAGES[name], "").strip())
        kwarg = next((k for k in CHILD_URL_KWARGS if k in view_kwargs), None)
        if kwarg is None:
            page = CHILD_PAGES.get(name)
            if page is not None and request.user.is_authenticated:
                if not page.identity_only and not can_view_case_detail(request.user):
                    raise PermissionDenied
                request._caseflow_children = page.child_ids(view_kwargs)
            return None
        if not request.user.is_authenticated:
            if hasattr(view_func, "cls"):  # DRF: token auth happens in the view
                return None
            return redirect_to_login(request.get_full_path())
        child = child_or_404(request, view_kwargs[kwarg])
        identity_only = getattr(view_func, "child_identity_only", False)
        if not identity_only and not can_view_case_detail(request.user):
            raise PermissionDenied
        request._caseflow_children = [child]
        return None


def _action(request, response) -> str:
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return AuditEvent.Action.VIEW
    # An accepted form redirects; one shown again with its errors changed nothing.
    return AuditEvent.Action.CHANGE if 300 <= response.status_code < 400 else AuditEvent.Action.VIEW

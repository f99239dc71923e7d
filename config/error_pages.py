"""The app's own "page not found" and "something went wrong" pages.

In production (DEBUG off) Django renders them through ``handler404`` / ``handler500``. The
demo runs with DEBUG on (the development server serves the static files), where Django
would show its debug pages: ``DemoErrorPagesMiddleware`` swaps those for the app's pages,
so a demo user never sees a traceback or the URL list. Developers who want the debug
pages set ``CASEFLOW_DEBUG_PAGES=true``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import get_template

# Both of Django's debug pages (technical_404 and technical_500) carry this meta tag.
_DEBUG_PAGE_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever failed (the database, a session) must not fail again.
    return HttpResponse(get_template("500.html").render(), status=500)


def _is_debug_page(response) -> bool:
    if response.status_code not in (404, 500) or getattr(response, "streaming", False):
        return False
    return _DEBUG_PAGE_MARK in response.content[:2000]


class DemoErrorPagesMiddleware:
    """Outermost but for the health probe: sees every response, the debug pages included
    (Django logs the exception itself before rendering its debug 500 page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        active = settings.DEBUG and settings.DEMO_MODE and not settings.DEBUG_PAGES
        if not active or not _is_debug_page(response):
            return response
        if response.status_code == 404:
            return page_not_found(request)
        return server_error(request)

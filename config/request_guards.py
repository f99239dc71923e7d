"""Refuse input PostgreSQL cannot store before it reaches a query.

PostgreSQL's text types cannot hold the NUL character: a ``%00`` in a search box or
filter would reach the database and fail there as a 500. Forms already refuse it field
by field (Django's ``ProhibitNullCharactersValidator``); this covers every query string
and form body in one place, the API's JSON in ``api.parsers``.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

NUL_REFUSED = "The request contains a NUL character (%00), which Caseflow does not accept"


def has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        form_body = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        if "\x00" in request.path or has_nul(request.GET) or (form_body and has_nul(request.POST)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

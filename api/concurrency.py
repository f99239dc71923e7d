"""Optimistic concurrency: ETag from ``version``; changes need a matching If-Match.

Every case record carries ``version``, bumped by every service write. GET on a record
returns ``ETag: "<version>"``; a PATCH or transition POST must send it back in
``If-Match``. The view passes the If-Match versions to the service
(``expected_version``), which locks the row before comparing
(``casework.services.common.lock_at_version``), so a change landing between the check
and the write cannot slip through: it waits, and then the versions differ.
"""

from __future__ import annotations

import re

from django.db.models import Model, QuerySet
from django.http import Http404

from api.exceptions import PreconditionRequired

_ETAG = re.compile(r'^(?:W/)?"(\d{1,9})"$')


def etag(obj: Model) -> str:
    return f'"{obj.version}"'


def if_match_versions(request) -> set[int]:
    """The versions named by If-Match; 428 when it is missing, ``*`` or unreadable."""
    header = request.headers.get("If-Match", "").strip()
    versions = set()
    for part in header.split(","):
        found = _ETAG.match(part.strip())
        if found:
            versions.add(int(found.group(1)))
    if not versions:
        raise PreconditionRequired()
    return versions


def at_if_match(request, queryset: QuerySet, pk) -> tuple[Model, set[int]]:
    """The row and the versions the client's If-Match names, for the service's
    ``expected_version``: the service locks the row and compares (412 when stale, through
    ``api.exceptions``). 428 without If-Match, 404 when the user may not see the row."""
    versions = if_match_versions(request)
    try:
        return queryset.get(pk=pk), versions
    except queryset.model.DoesNotExist:
        raise Http404 from None

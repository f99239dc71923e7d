"""Optimistic concurrency: ETag from ``version``; changes need a matching If-Match.

Every case record carries ``version``, bumped by every service write. GET on a record
returns ``ETag: "<version>"``; a PATCH or transition POST must send it back in
``If-Match``. The row is locked before the comparison, so a change landing between
the check and the service cannot slip through: it waits, and then the versions differ.
"""

from __future__ import annotations

import re

from django.db.models import Model, QuerySet
from django.http import Http404

from api.exceptions import PreconditionFailed, PreconditionRequired
from casework.errors import ConflictError
from casework.services.common import lock_at_version as services_lock_at_version

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


def lock_at_version(request, queryset: QuerySet, pk) -> Model:
    """The row, locked, if the client's If-Match names its current version.

    428 without If-Match, 404 when the user may not see the row, 412 when stale. The lock
    and the comparison are the services' own (``casework.services.common.lock_at_version``).
    """
    versions = if_match_versions(request)
    try:
        return services_lock_at_version(queryset, versions, pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    except ConflictError:
        raise PreconditionFailed() from None

"""Optimistic concurrency: ETag from ``version``; changes need a matching If-Match.

Every case record carries ``version``, bumped by every service write. GET on a record
returns ``ETag: "<version>"``; a PATCH or transition POST must send it back in
``If-Match``. Preconditions come before the request content (RFC 9110 §13.2.1): the
row's version is checked against the If-Match before the view reads the body, so a
client with a stale copy hears 412 (re-fetch) rather than a 400 about a body it would
write again anyway. The view then passes the If-Match versions to the service
(``expected_version``), which locks the row and compares again
(``casework.services.common.lock_at_version``), so a change landing between the two
cannot slip through: it waits, and then the versions differ.

What the header may say:
- missing or empty: 428 (every change here must be conditional);
- ``*`` alone: 428 too. RFC 9110 lets ``*`` match any current representation, which
  would make the change unconditional: the lost update the 428 is there to prevent;
- one or more entity tags, ``"3"`` or ``"3", "4"`` (any listed version will do; a weak
  ``W/"3"`` is read as ``"3"``, as a proxy that compresses may weaken our ETag; a
  well-formed tag this API never issued, ``"abc"``, just matches nothing: 412);
- anything else (``3`` unquoted, ``*`` in a list): 400 with the reason.
"""

from __future__ import annotations

import re

from django.db.models import Model, QuerySet
from django.http import Http404

from api.exceptions import IF_MATCH_ANY, MalformedIfMatch, PreconditionRequired
from casework.services.common import check_version

# RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag; etagc = %x21 / %x23-7E / obs-text.
_TAG = r'(?:W/)?"[\x21\x23-\x7e\x80-\xff]*"'
_TAG_LIST = re.compile(rf"{_TAG}(?:[ \t]*,[ \t]*{_TAG})*")
_QUOTED = re.compile(r'"([^"]*)"')
_VERSION = re.compile(r"[0-9]{1,9}")


def etag(obj: Model) -> str:
    return f'"{obj.version}"'


def if_match_versions(request) -> set[int]:
    """The record versions the If-Match header names (possibly none of ours).

    428 when it is missing, empty or ``*``; 400 when it is not a list of entity tags.
    """
    header = request.headers.get("If-Match", "").strip(" \t")
    if not header:
        raise PreconditionRequired()
    if header == "*":
        raise PreconditionRequired(IF_MATCH_ANY)
    if not _TAG_LIST.fullmatch(header):
        raise MalformedIfMatch()
    return {int(tag) for tag in _QUOTED.findall(header) if _VERSION.fullmatch(tag)}


def at_if_match(request, queryset: QuerySet, pk) -> tuple[Model, set[int]]:
    """The row and the versions the client's If-Match names, for the service's
    ``expected_version``. 428/400 for an If-Match that names no version, 404 when the
    user may not see the row, 412 when the row has moved on since the client read it:
    all before the view reads the body."""
    versions = if_match_versions(request)
    try:
        row = queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    check_version(row, versions)  # stale: ConflictError on "version", 412 (api.exceptions)
    return row, versions

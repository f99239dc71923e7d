"""``Idempotency-Key`` on creates: a retried POST gets the first response, creates nothing.

The key is claimed (inserted) before the create runs, inside the request's transaction,
so a concurrent retry blocks on the unique (user, key) index until the first commits,
then reads and replays its response. A failed create rolls back with its claim.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.exceptions import IdempotencyKeyReused
from api.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("ETag", "Location")
KEY_INVALID = f"{HEADER} must be 1-{MAX_KEY_LENGTH} printable ASCII characters"


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise exceptions.ValidationError({"detail": KEY_INVALID})
    return key


def _replay(record: IdempotencyKey, fingerprint: str) -> Response:
    if record.request_digest != fingerprint or record.status_code is None:
        raise IdempotencyKeyReused()
    headers = {**record.response_headers, "Idempotent-Replayed": "true"}
    return Response(record.response_body, status=record.status_code, headers=headers)


def idempotent_create(view_method):
    """Wrap a create action: replays the stored response for a repeated key."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        existing = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if existing is not None:
            return _replay(existing, fingerprint)
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=request.user,
                    key=key,
                    method=request.method,
                    path=request.path[:500],
                    request_digest=fingerprint,
                )
        except IntegrityError:
            # A concurrent request with this key committed while we waited on the index.
            return _replay(IdempotencyKey.objects.get(user=request.user, key=key), fingerprint)
        response = view_method(self, request, *args, **kwargs)
        record.status_code = response.status_code
        record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
        record.response_headers = {h: response[h] for h in REPLAYED_HEADERS if h in response}
        record.save(update_fields=["status_code", "response_body", "response_headers"])
        return response

    return wrapper

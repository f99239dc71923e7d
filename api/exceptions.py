"""Every refusal becomes a 4xx with a reason; bad input never becomes a 500.

- ``DomainError`` with a field: 400 ``{"<field>": ["message"]}``; without: 400 ``{"detail"}``.
- ``DomainPermissionError`` (the role may not do this): 403.
- ``ConflictError`` (a stale version): 412 when the version was the client's If-Match
  (``api.concurrency``, before the body is read, and the service under its row lock),
  else 409. If-Match missing or ``*``: 428; unreadable: 400.
- Django ``ValidationError`` (model validators): 400 by field.
- A missing row looked up by a service: 404. A database constraint that a concurrent
  request won (e.g. one open episode per child): 409.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django_fsm import TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from casework.calendar import CALENDAR_END, CALENDAR_START, CalendarRangeError
from casework.errors import ConflictError, DomainError, DomainPermissionError

OUTSIDE_CALENDAR = (
    f"Dates must be between {CALENDAR_START:%d/%m/%Y} and {CALENDAR_END:%d/%m/%Y}, "
    "the range of the working-day calendar deadlines are counted on"
)
CONCURRENT_CHANGE = "Someone else changed this record at the same moment: reload it and try again"
NOT_ALLOWED_NOW = "This action is not allowed in the record's current status"


IF_MATCH_ANY = (
    "If-Match: * does not say which version of the record you read, so it cannot protect "
    'a change made since. Send the ETag from GET on this record, e.g. "3"'
)
IF_MATCH_MALFORMED = (
    'If-Match must be one or more quoted ETags from GET on this record, e.g. "3" or '
    '"3", "4", or a single *'
)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send an If-Match header with the ETag from GET on this record, so a change "
        "made by someone else since is not overwritten"
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "This record was changed by someone else after you read it (your If-Match does "
        "not match its current ETag). GET it again, then make your change again"
    )
    default_code = "precondition_failed"


class MalformedIfMatch(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = IF_MATCH_MALFORMED
    default_code = "malformed_if_match"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used for a different request"
    default_code = "idempotency_key_reused"


def _by_field(field: str | None, message: str) -> dict:
    return {field: [message]} if field else {"detail": message}


def exception_handler(exc, context):
    if isinstance(exc, DomainPermissionError):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, ConflictError):
        if exc.field == "version" and context["request"].headers.get("If-Match"):
            exc = PreconditionFailed()  # the service compared the client's If-Match
        else:
            return _refuse(status.HTTP_409_CONFLICT, {"detail": exc.message})
    elif isinstance(exc, DomainError):
        return _refuse(status.HTTP_400_BAD_REQUEST, _by_field(exc.field, exc.message))
    elif isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return _refuse(status.HTTP_400_BAD_REQUEST, body)
    elif isinstance(exc, TransitionNotAllowed):
        return _refuse(status.HTTP_400_BAD_REQUEST, {"status": [NOT_ALLOWED_NOW]})
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, CalendarRangeError):
        # A date the serializer accepted but no deadline can be counted from.
        return _refuse(status.HTTP_400_BAD_REQUEST, {"detail": f"{OUTSIDE_CALENDAR} ({exc})"})
    elif isinstance(exc, IntegrityError):
        return _refuse(status.HTTP_409_CONFLICT, {"detail": CONCURRENT_CHANGE})
    return drf_exception_handler(exc, context)


def _refuse(code: int, body: dict) -> Response:
    # ATOMIC_REQUESTS: a refused request must leave nothing behind.
    set_rollback()
    return Response(body, status=code)

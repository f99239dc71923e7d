"""OpenAPI pieces every endpoint shares: error responses and the concurrency headers."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from casework.models import ConferenceOutcome

# The outcomes each kind of conference may record (named in ENUM_NAME_OVERRIDES).
ICPC_OUTCOMES = [(c.value, c.label) for c in (ConferenceOutcome.PLAN, ConferenceOutcome.NO_PLAN)]
REVIEW_OUTCOMES = [
    (c.value, c.label) for c in (ConferenceOutcome.CONTINUE, ConferenceOutcome.END_PLAN)
]


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.HashedTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /api/v1/tokens/ (shown once): `Bearer cf_...`",
        }


class ErrorDetail(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused")


_DETAIL = ErrorDetail
VALIDATION = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "Invalid input, or a guard or census rule refused it: field-level reasons as "
        '`{"field": ["message"]}`, or `{"detail": "message"}` when no one field is at fault.'
    ),
)
ERRORS = {
    400: VALIDATION,
    401: OpenApiResponse(_DETAIL, description="No credentials, or an invalid or revoked token."),
    403: OpenApiResponse(_DETAIL, description="Your role may not do this (or CSRF failed)."),
    404: OpenApiResponse(_DETAIL, description="No such record, or one you may not see."),
    409: OpenApiResponse(
        _DETAIL, description="A concurrent change won (the record or a rule changed under you)."
    ),
    412: OpenApiResponse(
        _DETAIL, description="Stale: If-Match does not match the record's current ETag."
    ),
    422: OpenApiResponse(
        _DETAIL, description="This Idempotency-Key was already used for a different request."
    ),
    428: OpenApiResponse(
        _DETAIL, description="If-Match (an ETag, not `*`) is required for this change."
    ),
}


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


LIST_ERRORS = errors(400, 401, 403, 404)
READ_ERRORS = errors(401, 403, 404)
CHANGE_ERRORS = errors(400, 401, 403, 404, 409, 412, 428)
CREATE_ERRORS = errors(400, 401, 403, 409, 422)
CREATE_UNDER_ERRORS = errors(400, 401, 403, 404, 409, 422)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        'The ETag from GET on this record, e.g. `"3"` (several, comma-separated: any one '
        "will do). Checked before the body: if someone changed the record since, 412 with "
        "the reason, and nothing is changed. Without it, or `*`: 428. Not a list of quoted "
        "ETags: 400."
    ),
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique string per intended create (e.g. a UUID). A retry with the same key gets "
        "the first response (with `Idempotent-Replayed: true`) and creates nothing."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The record's version; send it back in If-Match to change the record.",
)

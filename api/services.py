"""The API's own writes: issuing and revoking tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from api.authentication import TOKEN_PREFIX, digest
from api.models import ApiToken
from casework.errors import DomainError
from casework.services.common import lock

TOKEN_EXPIRY_IN_PAST = "The expiry must be in the future"
TOKEN_ALREADY_REVOKED = "This token has already been revoked"


@transaction.atomic
def api_token_create(
    *,
    by,
    name: str,
    expires_at: datetime | None = None,
    scope: str = ApiToken.Scope.READ_WRITE,
) -> tuple[ApiToken, str]:
    """Issue a token for ``by``; returns the row and the secret, which is never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(TOKEN_EXPIRY_IN_PAST, field="expires_at")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name.strip(),
        prefix=secret[:10],
        digest=digest(secret),
        expires_at=expires_at,
        scope=scope,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke at once; the row stays so the token's history can still be read."""
    token = lock(token)
    if token.revoked_at is not None:
        raise DomainError(TOKEN_ALREADY_REVOKED, field="token")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token

"""Bearer tokens for systems, stored hashed (DRF's authtoken keeps them in plain text)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from api.models import ApiToken

TOKEN_PREFIX = "cf_"
KEYWORD = "Bearer"
# Recording every use would add a write to every request; once a minute is enough to
# answer "is this token still used?".
LAST_USED_RESOLUTION = timedelta(minutes=1)
TOKEN_INVALID = "Invalid, expired or revoked token"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class HashedTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer cf_…``: looks the token up by the digest of the secret."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send 'Authorization: Bearer <token>'")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID) from None
        return self.authenticate_secret(secret)

    def authenticate_secret(self, secret: str):
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(secret), revoked_at__isnull=True)
            .first()
        )
        if token is None or (token.expires_at is not None and token.expires_at <= now):
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return f'{KEYWORD} realm="api"'

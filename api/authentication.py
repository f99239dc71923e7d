"""Bearer tokens for systems, stored hashed (DRF's authtoken keeps them in plain text)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from api.models import ApiToken

TOKEN_PREFIX = "cf_"
KEYWORD = "Bearer"
# Recording every use would add a write to every request; once a minute is enough to
# answer "is this token still used?".
LAST_USED_RESOLUTION = timedelta(minutes=1)
TOKEN_INVALID = "Invalid, expired or revoked token"
TOKEN_EXPIRED = "This token expired on {at:%d/%m/%Y %H:%M} UTC: create a new one"
TOKEN_READ_ONLY = "This token is read-only: use a read-write token to make changes"


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
        if token is None:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        if token.expires_at is not None and token.expires_at <= now:
            # The holder already has the secret, so saying why costs nothing and saves a
            # support call; unknown and revoked tokens stay indistinguishable.
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED.format(at=token.expires_at))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return f'{KEYWORD} realm="api"'


class TokenScopePermission(permissions.BasePermission):
    """A read-only token may only read (GET, HEAD, OPTIONS); sessions are not affected."""

    message = TOKEN_READ_ONLY

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not (isinstance(token, ApiToken) and token.scope == ApiToken.Scope.READ)

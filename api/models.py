"""What the API itself stores: hashed access tokens and idempotency keys."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A per-user token for a system calling the API.

    Only the SHA-256 digest of the secret is stored; the secret is shown once, when the
    token is created. A random 256-bit secret needs no salt or slow hash: there is no
    dictionary to attack. Revoking keeps the row, so who-had-access stays answerable.
    """

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="Which system uses it")
    prefix = models.CharField(max_length=12, help_text="Start of the secret, to tell tokens apart")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # A read-only token is refused every write, whatever its user's role allows.
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ_WRITE)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"


class IdempotencyKey(models.Model):
    """A create request's ``Idempotency-Key`` and the response it got.

    A retry with the same key from the same user gets the stored response and creates
    nothing. Only successful responses are kept: a failed request rolls back with its
    key, so fixing the input and retrying with the same key works.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_digest = models.CharField(max_length=64)
    # Empty while the first request runs; a concurrent retry waits on the unique key.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"

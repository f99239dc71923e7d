"""One-time form tokens claimed in the database, so concurrent submits save once."""

from django.conf import settings
from django.db import models


class UsedFormToken(models.Model):
    """A recording form's token, claimed in the same transaction as the service call.

    The unique constraint is the lock: of N simultaneous submits of one form, the first
    INSERT wins and the others wait on the index, then fail once it commits (or go ahead
    if it rolled back because the service refused the input).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    token = models.CharField(max_length=64)
    redirect_to = models.CharField(max_length=500)
    used_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_token_once_per_user")
        ]

    def __str__(self) -> str:
        return f"form token used {self.used_at:%d/%m/%Y %H:%M}"

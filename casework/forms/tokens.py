"""One-time form tokens: a resent, double-clicked or raced form creates one record.

The token is issued with the form and claimed in the database (``UsedFormToken``, unique
per user) inside the same transaction as the service call, with where the user was sent.
The unique index serialises simultaneous submits: the first claim wins, the others wait
for it and then find the token used (or claim it themselves if the first was refused and
rolled back). A used token redirects where the first submission went and saves nothing.
A POST without a token is refused: every Caseflow form carries one.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from casework.models import UsedFormToken

MAX_LENGTH = 64
MISSING = "This form was not sent from a Caseflow page: reload the page and submit it again"


def claim(request, token: str, redirect_to: str) -> str | None:
    """Claim ``token`` for this user; if it was already used, the URL the first went to.

    Call inside the transaction that saves the record, so a refused save frees the token.
    """
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(user=request.user, token=token, redirect_to=redirect_to)
    except IntegrityError:
        first = (
            UsedFormToken.objects.filter(user=request.user, token=token)
            .values_list("redirect_to", flat=True)
            .first()
        )
        return first or redirect_to
    return None

"""The authority an installation serves: set up once, from the command line or a census file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import errors
from casework.errors import DomainError
from casework.models import Authority


@transaction.atomic
def authority_setup(*, la_code: str, name: str, why: str) -> tuple[Authority, bool]:
    """Create the installation's one authority; the same code again changes nothing.

    Returns (authority, created). A different LA code from the one already set up is refused:
    the code is in every UPN check and every return, so it is never changed silently.
    """
    la_code, name = (la_code or "").strip(), (name or "").strip()
    existing = Authority.objects.select_for_update().order_by("pk").first()
    if existing is not None:
        if existing.la_code != la_code:
            raise DomainError(
                errors.AUTHORITY_OTHER_CODE.format(held=existing, la_code=la_code), "la_code"
            )
        return existing, False
    authority = Authority(la_code=la_code, name=name or f"Local authority {la_code}")
    try:
        authority.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field) from exc
    authority._change_reason = why[:100]
    authority.save()
    return authority, True

"""Finding a child by name, LA child ID or date of birth (dd/mm/yyyy)."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import User
from casework.models import Child
from casework.selectors import children_visible_to

_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
MAX_QUERY_LENGTH = 100


def parse_date_of_birth(text: str) -> date | None:
    """``dd/mm/yyyy`` (also with - or .) as a real date, else None."""
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def child_search(*, user: User, query: str) -> QuerySet[Child]:
    """Children visible to ``user`` matching a date of birth, an LA child ID or name words.

    Every word of a name must match the start of the first or last name, so "jo smi"
    finds Joanne Smith. Without a usable query nothing is returned.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    children = children_visible_to(user)
    if not query:
        return children.none()
    born = parse_date_of_birth(query)
    if born is not None:
        return children.filter(date_of_birth=born)
    words = query.split()
    by_name = Q()
    for word in words:
        by_name &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
    return children.filter(Q(la_child_id__iexact=query) | by_name).order_by(
        "last_name", "first_name", "pk"
    )

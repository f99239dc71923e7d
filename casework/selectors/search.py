"""Finding a child by name, LA child ID or date of birth (dd/mm/yyyy)."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

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
    return _matching(children_visible_to(user), query)


def _matching(children: QuerySet[Child], query: str) -> QuerySet[Child]:
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return children.none()
    born = parse_date_of_birth(query)
    if born is not None:
        return children.filter(date_of_birth=born).order_by("last_name", "first_name", "pk")
    words = query.split()
    by_name = Q()
    for word in words:
        by_name &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
    return children.filter(Q(la_child_id__iexact=query) | by_name).order_by(
        "last_name", "first_name", "pk"
    )


IDENTITY_LIMIT = 20
RESTRICTED_MATCH = "A restricted record exists: ask the head of service"


def identity_search(*, user: User, query: str) -> list[Child]:
    """Authority-wide search for linking a contact to a child already known: identity only
    (name, date of birth, LA child ID, postcode), whichever team holds the case. Each
    child carries ``may_name``: a restricted record the user may not open is shown only
    as "a record exists" (``RESTRICTED_MATCH``), never by name. At most 20 rows, 1 query.
    """
    visible = Q(pk__in=children_visible_to(user).values("pk"))
    may_name = ExpressionWrapper(Q(is_restricted=False) | visible, output_field=BooleanField())
    rows = _matching(Child.objects.current(), query).annotate(may_name=may_name)
    return list(rows[:IDENTITY_LIMIT])

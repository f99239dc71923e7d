"""Which children (and rows about children) an API user may see, and which endpoints.

The rule is ``accounts.permissions``, the same one the pages apply: rows one may not
see answer 404 and are absent from lists. Endpoints about a case (not only who a child
is) set ``case_detail`` and, like ChildAccessMiddleware for pages, answer 403 to a role
that may not see case detail (business support); the KPI values follow the KPI pages.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.permissions import BasePermission

from accounts import permissions
from casework.models import Child


def visible_children(user, *, case_detail: bool = False) -> QuerySet[Child]:
    return permissions.visible_children(user, case_detail=case_detail)


def visible_rows(
    user, queryset: QuerySet, *, child_field: str = "child", case_detail: bool = False
) -> QuerySet:
    """Rows about a child, narrowed to children ``user`` may see (one SQL subquery)."""
    if child_field == "pk":
        return permissions.visible_children(user, queryset, case_detail=case_detail)
    return permissions.visible_to(user, queryset, child_field=child_field, case_detail=case_detail)


class CaseDetailPermission(BasePermission):
    """403 on an endpoint marked ``case_detail`` for a role that may not see case detail.

    Decided per endpoint, before any lookup, so it says nothing about any one record.
    """

    message = "Your role does not allow you to see case records."

    def has_permission(self, request, view) -> bool:
        if not getattr(view, "case_detail", False):
            return True
        return permissions.can_view_case_detail(request.user)


class KpiPermission(BasePermission):
    message = "Your role does not allow you to see KPI figures."

    def has_permission(self, request, view) -> bool:
        return permissions.can_view_kpis(request.user)

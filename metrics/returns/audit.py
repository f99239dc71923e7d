"""Which children a statutory return holds, so a download is audited per child (issue 16,
finding 7): one INSERT ... SELECT over the same querysets the files are written from."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from casework.models import Child
from metrics.returns import annex_a
from metrics.returns.collect import census_children
from metrics.returns.records import CensusPeriod

# Annex A's lists, each a queryset of rows with a ``child``: a child on any list is in
# the workbook. A list added to the workbook is added here.
ANNEX_A_LISTS = (
    annex_a.contacts,
    annex_a.early_help,
    annex_a.referrals,
    annex_a.assessments,
    annex_a.s47s,
    annex_a.children_in_need,
    annex_a.child_protection,
)


def census_return_children(year: int) -> QuerySet[Child]:
    return census_children(CensusPeriod(year))


def annex_a_children(as_of: date) -> QuerySet[Child]:
    window = annex_a.Window(as_of)
    on_a_list = Q()
    for rows in ANNEX_A_LISTS:
        on_a_list |= Q(pk__in=rows(window).order_by().values("child"))
    return Child.objects.filter(on_a_list)

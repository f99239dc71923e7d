""" "My work": the signed-in worker's caseload first, then their due and overdue steps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from accounts.audit import audit_table_page
from casework.filters import WorktrayFilter
from casework.models import Deadline
from casework.selectors import worker_for
from casework.selectors.my_caseload import caseload_rows
from casework.selectors.worktray import allocated_children, only, worktray_items
from casework.tables import MyCaseloadTable, WorktrayTable


@login_required
def worktray(request):
    worker = worker_for(request.user)
    filters = WorktrayFilter(request.GET or None)
    kind = status = None
    if filters.is_bound and filters.form.is_valid():
        kind = filters.form.cleaned_data.get("kind") or None
        status = filters.form.cleaned_data.get("status") or None
    items, caseload = [], []
    if worker is not None:
        # The visible caseload is resolved once; every step query takes its ids.
        children = allocated_children(worker, request.user)
        every = worktray_items(
            worker=worker, user=request.user, today=timezone.localdate(), children=children
        )
        caseload = caseload_rows(worker=worker, user=request.user, items=every, children=children)
        items = only(every, kind=kind, status=status)
    table = WorktrayTable(items, empty_text="You have nothing due.")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    caseload_table = MyCaseloadTable(
        caseload, prefix="c-", empty_text="No children are allocated to you."
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(caseload_table)
    audit_table_page(request, caseload_table)
    audit_table_page(request, table)
    context = {
        "table": table,
        "count": len(items),
        "filters": filters,
        "worker": worker,
        "caseload": caseload_table,
        "caseload_count": len(caseload),
        "overdue_count": sum(1 for i in every if i.status == Deadline.OVERDUE) if worker else 0,
    }
    return render(request, "casework/worktray.html", context)

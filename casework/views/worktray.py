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
from metrics.templatetags.kpi_forecast import at_risk_rows


@login_required
def worktray(request):
    worker = worker_for(request.user)
    filters = WorktrayFilter(request.GET or None)
    kind = status = None
    if filters.is_bound and filters.form.is_valid():
        kind = filters.form.cleaned_data.get("kind") or None
        status = filters.form.cleaned_data.get("status") or None
    items, caseload, at_risk = [], [], []
    today = timezone.localdate()
    if worker is not None:
        # The visible caseload is resolved once; every step query takes its ids.
        children = allocated_children(worker, request.user)
        every = worktray_items(worker=worker, user=request.user, today=today, children=children)
        caseload = caseload_rows(worker=worker, user=request.user, items=every, children=children)
        items = only(every, kind=kind, status=status)
        # Read here, not by the panel's tag, so the children the page shows are audited
        # in one statement whichever of its lists they appear in.
        at_risk = at_risk_rows(request.user, scope_type="worker", scope_id=worker.pk, today=today)
    table = WorktrayTable(items, empty_text="You have nothing due.")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    caseload_table = MyCaseloadTable(
        caseload, prefix="c-", empty_text="No children are allocated to you."
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(caseload_table)
    audit_table_page(request, caseload_table, table, also=[child for _, child, _ in at_risk])
    context = {
        "table": table,
        "count": len(items),
        "filters": filters,
        "worker": worker,
        "at_risk_rows": at_risk,
        "caseload": caseload_table,
        "caseload_count": len(caseload),
        "overdue_count": sum(1 for i in every if i.status == Deadline.OVERDUE) if worker else 0,
    }
    return render(request, "casework/worktray.html", context)

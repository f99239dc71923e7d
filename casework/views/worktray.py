""" "My work": the signed-in worker's due and overdue steps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from casework.filters import WorktrayFilter
from casework.selectors import worker_for
from casework.selectors.worktray import worktray_items
from casework.tables import WorktrayTable


@login_required
def worktray(request):
    worker = worker_for(request.user)
    filters = WorktrayFilter(request.GET or None)
    kind = status = None
    if filters.is_bound and filters.form.is_valid():
        kind = filters.form.cleaned_data.get("kind") or None
        status = filters.form.cleaned_data.get("status") or None
    items = []
    if worker is not None:
        items = worktray_items(
            worker=worker, user=request.user, today=timezone.localdate(), kind=kind, status=status
        )
    table = WorktrayTable(items, empty_text="You have nothing due.")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {"table": table, "count": len(items), "filters": filters, "worker": worker}
    return render(request, "casework/worktray.html", context)

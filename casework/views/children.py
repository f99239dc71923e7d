"""Finding a child and the child record."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from accounts.audit import audit_children_access
from accounts.models import AuditEvent
from casework import sections
from casework.filters import ChronologyFilter
from casework.selectors import children_visible_to
from casework.selectors.child_record import (
    case_status,
    chronology,
    current_allocation,
    current_episode,
    pathway_steps,
    with_case_flags,
)
from casework.selectors.search import MAX_QUERY_LENGTH, child_search
from casework.tables import ChildSearchTable


@login_required
def child_search_view(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    table = None
    if query.strip():
        results = child_search(user=request.user, query=query)
        table = ChildSearchTable(results, empty_text="No children match your search.")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        # One search row per child on the page, not one for the whole search (issue 16, 5).
        shown = [row.record for row in table.paginated_rows]
        audit_children_access(request, shown, AuditEvent.Action.SEARCH)
    return render(request, "casework/child_search.html", {"query": query, "table": table})


@login_required
def child_record(request, child: int):
    # 404, not 403, for a child the user may not see: do not confirm the record exists.
    child = get_object_or_404(with_case_flags(children_visible_to(request.user)), pk=child)
    filters = ChronologyFilter(request.GET or None)
    types = None
    if filters.is_bound and filters.form.is_valid():
        types = filters.form.cleaned_data.get("type") or None
    events = chronology(child, types=types)
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    querystring = "".join(f"type={t}&" for t in types or [])
    episode = current_episode(child)
    context = {
        "child": child,
        "status": case_status(child),
        "episode": episode,
        "pathway": pathway_steps(episode) if episode else None,
        "allocation": current_allocation(child),
        "filters": filters,
        "page_obj": page,
        "event_count": len(events),
        "querystring": querystring,
        "assessments": _open_assessments(child),
        "sections": sections.for_child(request, child),
    }
    return render(request, "casework/child_record.html", context)


def _open_assessments(child):
    from casework.models import Assessment

    return list(
        Assessment.objects.current()
        .filter(child=child)
        .exclude(status=Assessment.Status.AUTHORISED)
        .order_by("-started_on")
    )

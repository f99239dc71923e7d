"""The worker's own records at risk of breaching a timeliness KPI, first on My work."""

from django import template
from django.utils import timezone

from accounts.audit import audit_children_access
from accounts.permissions import visible_children
from casework.selectors import worker_for
from metrics import forecast
from metrics.registry import BY_CODE

register = template.Library()


def at_risk_for_worker(user, worker, today):
    """Rows (risk, child, KPI titles) for the worker's allocated cases, soonest first:
    one query per timeliness KPI and one for the children (constant per page)."""
    found: dict[tuple[str, int], tuple] = {}
    for code in forecast.CODES:
        risks, _ = forecast.at_risk(code, today=today, scope_type="worker", scope_id=worker.pk)
        for risk in risks:
            key = (risk.kind, risk.record_id)
            before = found.get(key)
            found[key] = (risk, (before[1] if before else []) + [BY_CODE[code].title])
    children = visible_children(user).in_bulk({r.child_id for r, _ in found.values()})
    rows = [(r, children[r.child_id], titles) for r, titles in found.values()
            if r.child_id in children]  # fmt: skip
    rows.sort(key=lambda row: (row[0].due_on, row[1].last_name, row[0].record_id))
    return rows


@register.inclusion_tag("metrics/_at_risk_panel.html", takes_context=True)
def at_risk_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    # My work has already found the worker; elsewhere, look it up.
    worker = context.get("worker", None)
    if worker is None and "worker" not in context and user is not None:
        worker = worker_for(user) if user.is_authenticated else None
    if worker is None:
        return {"rows": None}
    today = timezone.localdate()
    rows = at_risk_for_worker(user, worker, today)
    audit_children_access(request, [child for _, child, _ in rows])
    return {"rows": rows, "horizon": forecast.HORIZON_WORKING_DAYS}

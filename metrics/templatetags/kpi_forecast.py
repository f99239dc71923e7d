"""Records at risk of breaching a timeliness KPI in the next 10 working days: a worker's
own first on My work, a team's on the manager's authorisation queue."""

from django import template
from django.utils import timezone

from accounts.audit import audit_children_access
from accounts.permissions import visible_children
from casework.selectors import worker_for
from metrics import forecast
from metrics.registry import BY_CODE

register = template.Library()

MANAGER_ROWS = 50


def at_risk_rows(user, *, scope_type: str, scope_id, today):
    """Rows (risk, child, KPI titles) the user may see, soonest first: one query for
    every timeliness KPI's records and one for the children (constant per page)."""
    found: dict[tuple[str, int], tuple] = {}
    by_code, _ = forecast.at_risk_all(today=today, scope_type=scope_type, scope_id=scope_id)
    for code, risks in by_code.items():
        for risk in risks:
            key = (risk.kind, risk.record_id)
            before = found.get(key)
            found[key] = (risk, (before[1] if before else []) + [BY_CODE[code].title])
    children = visible_children(user).in_bulk({r.child_id for r, _ in found.values()})
    rows = [(r, children[r.child_id], titles) for r, titles in found.values()
            if r.child_id in children]  # fmt: skip
    rows.sort(key=lambda row: (row[0].due_on, row[1].last_name, row[0].record_id))
    return rows


def _panel(request, rows, *, whose: str, total: int | None = None) -> dict:
    audit_children_access(request, [child for _, child, _ in rows])
    return {"rows": rows, "horizon": forecast.HORIZON_WORKING_DAYS, "whose": whose,
            "total": total if total is not None else len(rows)}  # fmt: skip


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
    rows = context.get("at_risk_rows")  # My work reads them with its own lists
    if rows is None:
        rows = at_risk_rows(user, scope_type="worker", scope_id=worker.pk,
                            today=timezone.localdate())  # fmt: skip
    return _panel(request, rows, whose="yours")


@register.inclusion_tag("metrics/_at_risk_panel.html", takes_context=True)
def team_at_risk_panel(context, team):
    """A manager's team (None: the whole authority, for those who see everything); the
    soonest ``MANAGER_ROWS`` listed, with the total."""
    request = context.get("request")
    scope = ("team", team.pk) if team is not None else ("authority", None)
    rows = at_risk_rows(request.user, scope_type=scope[0], scope_id=scope[1],
                        today=timezone.localdate())  # fmt: skip
    whose = "the team's" if team is not None else "the authority's"
    return _panel(request, rows[:MANAGER_ROWS], whose=whose, total=len(rows))

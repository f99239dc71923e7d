"""The case supervision panel on the child's record (casework's template includes it;
casework's Python never imports workforce)."""

from django import template

from accounts.permissions import can
from workforce.models import CaseSupervision

register = template.Library()
SHOWN = 5


@register.inclusion_tag("workforce/_child_supervision.html", takes_context=True)
def child_supervision(context, child):
    """The latest case supervisions (one query) and, for managers, the links to record
    supervision or audit the file."""
    user = context["request"].user
    rows = list(
        CaseSupervision.objects.filter(child=child)
        .select_related("supervisor", "worker")
        .order_by("-held_on", "-pk")[:SHOWN]
    )
    return {
        "child": child,
        "rows": rows,
        "can_supervise": can(user, "staff_supervise"),
        "can_audit": can(user, "case_file_audit"),
        "today": context.get("today"),
    }


@register.filter
def percent(value) -> str:
    return "–" if value in (None, "") else f"{value * 100:.1f}%"


@register.inclusion_tag("workforce/_queue_link.html", takes_context=True)
def supervision_queue_link(context):
    """The manager's queue line for overdue supervision (two counts on their team)."""
    from django.utils import timezone

    from casework.selectors import team_for
    from workforce.selectors import supervision_overdue_counts

    user = context["request"].user
    team = team_for(user) if can(user, "staff_supervise") else None
    counts = supervision_overdue_counts(team, on=timezone.localdate()) if team else None
    return {"counts": counts}

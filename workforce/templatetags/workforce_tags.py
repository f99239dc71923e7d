"""The case supervision panel on the child's record (casework's template includes it;
casework's Python never imports workforce)."""

from django import template

from workforce.models import CaseSupervision
from workforce.permissions import AUDITING_ROLES, SUPERVISING_ROLES

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
        "can_supervise": user.role in SUPERVISING_ROLES,
        "can_audit": user.role in AUDITING_ROLES,
        "today": context.get("today"),
    }


@register.filter
def percent(value) -> str:
    return "–" if value in (None, "") else f"{value * 100:.1f}%"

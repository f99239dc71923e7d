from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    """Idle time before sign-out, for the timeout warning (settings.SESSION_COOKIE_AGE)."""
    return settings.SESSION_COOKIE_AGE


@register.filter
def can(user, operation: str) -> bool:
    """Whether to offer a link to an operation or page: the service or view still checks
    (accounts.permissions, the one role table)."""
    from accounts.permissions import can as allowed

    return allowed(user, operation)


@register.simple_tag
def next_steps(record, user) -> list:
    """The step links the record's state machine and the user's role allow (the selector)."""
    from casework.selectors.next_steps import next_steps as steps

    return steps(record, user)


@register.filter
def deadline_tag(status: str | None, label: str | None = None):
    """``{{ step.status|deadline_tag }}``: a deadline looks the same on every page."""
    from casework.tables import deadline_tag as tag

    return tag(status, label)

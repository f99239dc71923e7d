from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    """Idle time before sign-out, for the timeout warning (settings.SESSION_COOKIE_AGE)."""
    return settings.SESSION_COOKIE_AGE

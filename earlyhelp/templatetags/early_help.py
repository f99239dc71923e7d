"""Small self-contained blocks other pages include: the child record's early help panel
and the screening page's flags (each one query)."""

from django import template

from earlyhelp import selectors
from referrals.selectors import HIDDEN_CHILD

register = template.Library()


@register.inclusion_tag("earlyhelp/_child_panel.html", takes_context=True)
def early_help_panel(context, child):
    episodes = selectors.child_episodes(child)
    return {
        "child": child,
        "episodes": episodes,
        "step_down_from": selectors.step_down_referral(child, episodes),
        # One open episode per child (earlyhelp.services.episode_request refuses another).
        "may_request": all(e.closed_on is not None for e in episodes),
        "user": context["user"],
    }


@register.inclusion_tag("earlyhelp/_screening_flags.html", takes_context=True)
def screening_flags(context, contact):
    lines = selectors.screening_lines(contact, context["user"])
    return {"contact": contact, "lines": lines, "hidden": HIDDEN_CHILD}

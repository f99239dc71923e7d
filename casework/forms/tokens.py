"""One-time form tokens: a resent or double-clicked form creates one record.

The token is issued with the form and remembered in the session once the service has
succeeded, with where the user was sent; the same token again redirects there and
saves nothing. Concurrent double clicks are also stopped in the browser by GOV.UK's
``data-prevent-double-click`` on every submit button.
"""

from __future__ import annotations

SESSION_KEY = "caseflow_used_form_tokens"
KEEP = 200


def already_used(request, token: str) -> str | None:
    """The URL the first submission went to, if this token was used before."""
    if not token:
        return None
    return request.session.get(SESSION_KEY, {}).get(token)


def mark_used(request, token: str, redirect_to: str) -> None:
    if not token:
        return
    used = dict(request.session.get(SESSION_KEY, {}))
    used[token] = redirect_to
    if len(used) > KEEP:
        used = dict(list(used.items())[-KEEP:])
    request.session[SESSION_KEY] = used

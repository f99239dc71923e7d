"""The one shape every recording page has: show the form, validate, call one service.

A DomainError from the service becomes a message beside the field it names (or at the
top of the error summary); nothing is saved, because the service call runs in its own
savepoint. A resent form (same one-time token) saves nothing and goes where the first
went. A form about an existing record carries its ``version``, which the page passes to the
service (``expected_version``): the service refuses it if someone else saved the record
since, the conflict message shows and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from casework.errors import DomainError
from casework.forms import tokens

ALREADY_SAVED = "You already submitted this form, so nothing was saved twice"


class AlreadySaved(Exception):
    """The form's token was claimed by an earlier submission: save nothing."""


def recording_page(
    request,
    *,
    form_class,
    call: Callable[[Any], Any],
    success_url: str,
    success_message: str,
    title: str,
    caption: str = "",
    record=None,
    form_kwargs: dict | None = None,
    initial: dict | None = None,
    draft_key: str = "",
    submit_label: str = "Save",
    template: str = "forms/recording.html",
    context: dict | None = None,
):
    form_kwargs = form_kwargs or {}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if not request.POST.get("form_token"):
            # Required, but checked here rather than as a field error: the field is hidden.
            form.is_valid()
            form.add_error(None, tokens.MISSING)
            status = 400
        elif form.is_valid():
            token = form.cleaned_data["form_token"]
            first = None
            try:
                with transaction.atomic():
                    first = tokens.claim(request, token, success_url)
                    if first:
                        raise AlreadySaved
                    call(form)
            except AlreadySaved:
                messages.info(request, ALREADY_SAVED)
                return redirect(first)
            except ObjectDoesNotExist:
                # The record went from under the form (lock_at_version found no row).
                raise Http404 from None
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, success_message)
                return redirect(success_url)
    else:
        initial = dict(initial or {})
        if record is not None:
            initial.setdefault("version", record.version)
        form = form_class(initial=initial, **form_kwargs)
    context = {
        **(context or {}),
        "form": form,
        "title": title,
        "caption": caption,
        "draft_key": f"{request.user.pk}:{draft_key}" if draft_key else "",
        "submit_label": submit_label,
        "cancel_url": success_url,
    }
    return render(request, template, context, status=status)


def seen_version(data: dict) -> int:
    """The record's version the form showed, for the service's ``expected_version``.

    Versions start at 1, so a form that lost its version is stale rather than unchecked.
    """
    return data.get("version") or 0


@dataclass(frozen=True)
class Step:
    """One recording step on an existing record: its form and the one service it calls."""

    form_class: type
    service: Callable[[Any, Any, dict], Any]  # (record, by, cleaned_data)
    title: str
    message: str
    draft: bool = False


def step_page(request, *, record, step: Step, draft_key: str = ""):
    """A ``Step`` on ``record`` (which carries ``child``), returning to the child record."""
    return recording_page(
        request,
        form_class=step.form_class,
        record=record,
        call=lambda f: step.service(record, request.user, f.cleaned_data),
        success_url=reverse("child", args=[record.child_id]),
        success_message=step.message,
        title=step.title,
        caption=record.child.full_name,
        draft_key=draft_key if step.draft else "",
    )

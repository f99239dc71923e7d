"""The token page: a signed-in user lists, creates and revokes their API tokens.

The secret is shown once, on the page answering the create (never stored, never
redirected to). Each token shows its scope (read only, or read and write) and expiry.
"""

from __future__ import annotations

from datetime import timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from casework.errors import DomainError

EXPIRY_DAYS = {"30": 30, "90": 90, "365": 365, "never": None}


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Which system will use it",
        max_length=100,
        error_messages={
            "required": "Enter which system will use the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the token may do"},
    )
    expires = forms.ChoiceField(
        label="Expires after",
        choices=[("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("never", "Never")],
        initial="90",
        widget=forms.RadioSelect,
        error_messages={"required": "Select when the token expires"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("scope", legend_size=Size.SMALL),
            Field.radios("expires", legend_size=Size.SMALL, inline=True),
        )

    def expires_at(self):
        days = EXPIRY_DAYS[self.cleaned_data["expires"]]
        return None if days is None else timezone.now() + timedelta(days=days)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _, secret = api_token_create(
            by=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
        )
        form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    context = {"form": form, "tokens": rows, "secret": secret, "now": timezone.now()}
    # Never cached: the authenticated-response middleware sends no-store on every page.
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke(request):
    pk = request.POST.get("token", "")
    token = None
    if pk.isdigit() and len(pk) < 19:
        token = ApiToken.objects.filter(user=request.user, pk=int(pk)).first()
    if token is None:
        raise Http404
    try:
        api_token_revoke(token=token, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"Token {token.name} revoked")
    return redirect("api_tokens")

"""Restricting a child's record and lifting a restriction (administrators)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from accounts.models import RestrictionReason, User
from casework.forms.common import GovukDateField, RecordingForm, choice, text
from referrals.forms import CHILD_NOT_FOUND

MAX_USERS = 50


class RestrictForm(RecordingForm):
    la_child_id = forms.CharField(
        label="LA child ID",
        max_length=20,
        error_messages={"required": "Enter the LA child ID"},
    )
    reason = choice("Reason", RestrictionReason.choices)
    reason_detail = text("Details", required=False, rows=3)
    review_on = GovukDateField(label="Review date")
    users = forms.CharField(
        label="Who may see the record",
        help_text="Usernames, one per line. You stay on the list.",
        required=False,
        max_length=MAX_USERS * 151,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    field_map = {"child": "la_child_id"}

    def __init__(self, *args, children_qs, **kwargs):
        self.children_qs = children_qs
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "form_token",
            Field.text("la_child_id", field_width=10),
            Field.radios("reason", legend_size=Size.SMALL),
            Field.textarea("reason_detail", rows=3),
            Field("review_on"),
            Field.textarea("users", rows=4),
        )

    def clean_la_child_id(self):
        la_child_id = self.cleaned_data["la_child_id"].strip()
        child = self.children_qs.filter(la_child_id__iexact=la_child_id).first()
        if child is None:
            raise forms.ValidationError(CHILD_NOT_FOUND.format(ids=la_child_id))
        return child

    def clean_users(self):
        names = list(dict.fromkeys(self.cleaned_data["users"].split()))
        if len(names) > MAX_USERS:
            raise forms.ValidationError(f"Enter at most {MAX_USERS} usernames")
        found = {u.username: u for u in User.objects.filter(is_active=True, username__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise forms.ValidationError(f"No active user with username {', '.join(missing)}")
        return list(found.values())


class LiftForm(RecordingForm):
    reason = text("Why is the restriction being lifted?", rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("form_token", Field.textarea("reason", rows=3))

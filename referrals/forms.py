"""Front-door forms: a contact about several children, its screening, episode closure."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.conf import settings

from casework.codes import ClosureReason, ReferralSource, Sex
from casework.errors import DomainError
from casework.forms.assessment import _factor_choices
from casework.forms.common import (
    GovukDateField,
    RecordingForm,
    VersionedForm,
    choice,
    text,
)
from referrals.models import ScreeningDecision
from referrals.selectors import HIDDEN_CHILD

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
MAX_CHILDREN = 20
# The same words whether the ID does not exist or names a record one may not see.
CHILD_NOT_FOUND = "No child found with LA child ID {ids}"


class ContactForm(RecordingForm):
    received_on = GovukDateField(label="Date received")
    received_time = forms.CharField(
        label="Time received",
        max_length=5,
        help_text="24-hour clock, for example 09:30",
        error_messages={"required": "Enter the time received"},
    )
    source = choice("Source", [("", "Choose a source")] + ReferralSource.choices, radios=False)
    children = forms.CharField(
        label="Children known to the authority",
        help_text="LA child IDs of every known child the contact is about, one per line "
        "(find them above)",
        required=False,
        max_length=MAX_CHILDREN * 21,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    new_first_name = forms.CharField(label="First name", max_length=60, required=False)
    new_last_name = forms.CharField(label="Last name", max_length=60, required=False)
    new_date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="Or expected date of birth if unborn"
    )
    new_sex = choice("Sex", [("", "Choose")] + Sex.choices, radios=False, required=False)
    reason = text("Reason for contact")
    reason_codes = forms.MultipleChoiceField(
        label="Reasons for the contact (census factor codes)",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every factor the contact raises, if any.",
    )
    field_map = {"received_at": "received_on"}
    NEW_CHILD_FIELDS = ("new_first_name", "new_last_name", "new_date_of_birth", "new_sex")

    def __init__(self, *args, children_qs, **kwargs):
        self.children_qs = children_qs
        super().__init__(*args, **kwargs)
        self.fields["reason_codes"].choices = _factor_choices()
        self.helper.layout = Layout(
            "form_token",
            Field("received_on"),
            Field.text("received_time", field_width=5),
            Field("source"),
            Field.textarea("children", rows=3),
            Fieldset(
                Field.text("new_first_name", field_width=20),
                Field.text("new_last_name", field_width=20),
                Field("new_date_of_birth"),
                Field("new_sex"),
                legend="A child new to the authority (if any)",
                legend_size=Size.SMALL,
            ),
            Field.textarea("reason"),
            Field.checkboxes("reason_codes", legend_size=Size.SMALL, small=True),
        )

    def clean_received_time(self):
        match = _TIME.match(self.cleaned_data["received_time"])
        if not match:
            raise forms.ValidationError("Enter a real time, for example 09:30")
        return time(int(match[1]), int(match[2]))

    def clean(self):
        data = super().clean()
        given = [n for n in self.NEW_CHILD_FIELDS if data.get(n)]
        if given:
            labels = {"new_sex": "Select the new child's sex"}
            for name in self.NEW_CHILD_FIELDS:
                if not data.get(name) and name not in self.errors:
                    label = self.fields[name].label.lower()
                    self.add_error(name, labels.get(name, f"Enter the new child's {label}"))
        elif not data.get("children") and "children" not in self.errors:
            self.add_error(
                "children", "Enter the LA child ID of at least one child, or add a new child"
            )
        return data

    def new_child(self) -> dict | None:
        """The new child's identity, or None when only known children are named."""
        data = self.cleaned_data
        if not data.get("new_first_name"):
            return None
        born = data["new_date_of_birth"]
        unborn = data["new_sex"] == Sex.UNBORN
        return {
            "first_name": data["new_first_name"],
            "last_name": data["new_last_name"],
            "sex": data["new_sex"],
            "date_of_birth": None if unborn else born,
            "expected_date_of_birth": born if unborn else None,
        }

    def clean_children(self):
        ids = list(dict.fromkeys(self.cleaned_data["children"].split()))
        if len(ids) > MAX_CHILDREN:
            raise forms.ValidationError(f"Enter at most {MAX_CHILDREN} children")
        found = {c.la_child_id.upper(): c for c in self.children_qs.filter(la_child_id__in=ids)}
        missing = [i for i in ids if i.upper() not in found]
        if missing:
            raise forms.ValidationError(CHILD_NOT_FOUND.format(ids=", ".join(missing)))
        return [found[i.upper()] for i in ids]

    def received_at(self) -> datetime:
        zone = ZoneInfo(settings.TIME_ZONE)
        return datetime.combine(
            self.cleaned_data["received_on"], self.cleaned_data["received_time"], zone
        )


class ScreeningForm(VersionedForm):
    """One form for every child on the contact: a decision for each."""

    decided_on = GovukDateField(label="Date of decision")
    notes = text("Notes", required=False, rows=3)
    field_map = {"decided_at": "decided_on"}

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        names = []
        # A child the screener may not see still needs a decision (the contact is decided
        # as a whole) but is never named: not in the label, nor in a service message.
        self.hidden_names = []
        for position, line in enumerate(lines, start=1):
            name = f"decision_{line.child_id}"
            who = line.child.full_name
            if not getattr(line, "child_visible", True):
                self.hidden_names += [str(line.child), line.child.full_name]
                who = f"child {position} on this contact ({HIDDEN_CHILD})"
            self.fields[name] = choice(f"Decision for {who}", ScreeningDecision.choices)
            names.append(Field.radios(name, legend_size=Size.SMALL))
        self.child_fields = [f"decision_{line.child_id}" for line in lines]
        self.helper.layout = Layout(
            "form_token", "version", *names, Field("decided_on"), Field.textarea("notes")
        )
        self.field_map = {
            **self.field_map,
            "decisions": self.child_fields[0] if self.child_fields else None,
        }

    def add_domain_error(self, error: DomainError) -> None:
        message = error.message
        for name in self.hidden_names:
            message = message.replace(name, HIDDEN_CHILD)
        super().add_domain_error(DomainError(message, error.field))

    def decisions(self) -> dict[int, str]:
        return {int(f.split("_")[1]): self.cleaned_data[f] for f in self.child_fields}


class ClosureForm(VersionedForm):
    closed_on = GovukDateField(label="Closure date")
    closure_reason = choice("Closure reason", ClosureReason.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "form_token",
            "version",
            Field("closed_on"),
            Field.radios("closure_reason", legend_size=Size.SMALL),
        )

"""What every recording form shares: GOV.UK date inputs, one-time tokens against double
submission, the record's version against stale edits, and DomainError -> field error.

Forms validate shape and format only (style.md rule 10); every domain rule is the
service's, and its DomainError is shown beside the field it names.
"""

from __future__ import annotations

import secrets
from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from casework.calendar import CALENDAR_END, CALENDAR_START
from casework.errors import DomainError

TEXT_MAX = 5000
DATE_REAL = "{label} must be a real date"
DATE_REQUIRED = "Enter {label_lower}"
DATE_RANGE = "{label} must be between 2000 and 2045"


class GovukDateField(DateInputField):
    """Day / month / year with the Design System's messages for impossible dates."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, require_all_fields=False, **kwargs)
        lower = label[0].lower() + label[1:]
        self.error_messages["required"] = DATE_REQUIRED.format(label_lower=lower)
        self.error_messages["incomplete"] = DATE_REQUIRED.format(label_lower=lower)
        names = ("day", "month", "year")
        for name, field in zip(names, self.fields, strict=True):
            field.max_length = 4
            field.error_messages["incomplete"] = f"{label} must include a {name}"
            field.validators[0].message = f"{label} must be a real date"
        self._label = label

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError(f"{self._label}: the year must have 4 numbers")
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as e:
            raise ValidationError(DATE_REAL.format(label=self._label)) from e
        if not CALENDAR_START <= value <= CALENDAR_END:
            raise ValidationError(DATE_RANGE.format(label=self._label))
        return value


class RecordingForm(forms.Form):
    """Base for forms that call one service.

    ``field_map`` maps a service's DomainError.field to this form's field name when they
    differ; an unknown field puts the message at the top of the error summary.
    """

    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    field_map: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(16))
        self.helper = FormHelper()
        self.helper.form_tag = False

    def add_domain_error(self, error: DomainError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        if name in self.fields and not isinstance(self.fields[name].widget, forms.HiddenInput):
            self.add_error(name, error.message)
        else:
            self.add_error(None, error.message)


class VersionedForm(RecordingForm):
    """A form about an existing record: carries the version the user loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


def text(label: str, *, required=True, rows=5, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {TEXT_MAX} characters or fewer",
        },
    )


def choice(label: str, choices, *, radios=True, required=True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={
            "required": f"Select {label[0].lower() + label[1:]}",
            "invalid_choice": f"Select {label[0].lower() + label[1:]} from the list",
        },
    )


def yes_no(label: str, *, help_text: str = "") -> forms.ChoiceField:
    """A Yes / No question as GOV.UK radios (cleaned to "yes" or "no")."""
    field = choice(label, [("yes", "Yes"), ("no", "No")])
    field.help_text = help_text
    return field


def short_text(label: str, max_length: int, *, required=False) -> forms.CharField:
    """One line of text limited to its column's size, so a long value is a message, not a 500."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def govuk_layout(form: forms.Form) -> Layout:
    """The Design System layout for a form's fields in declaration order: radios and
    checkboxes with small legends, textareas, everything else as it comes."""
    items = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            items.append(name)
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            items.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
        elif isinstance(widget, forms.RadioSelect):
            inline = len(field.choices) == 2
            items.append(Field.radios(name, legend_size=Size.SMALL, inline=inline))
        elif isinstance(widget, forms.Textarea):
            items.append(Field.textarea(name))
        else:
            items.append(Field(name))
    return Layout(*items)

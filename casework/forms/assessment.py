"""Assessment steps: start, child seen, complete, submit, return, authorise."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from casework.codes import ASSESSMENT_FACTORS, PrimaryNeed
from casework.forms.common import GovukDateField, RecordingForm, VersionedForm, choice, text
from casework.models import AssessmentOutcome


def _date_form(base, name: str, label: str, *, service_field: str | None = None):
    """A form with one GOV.UK date input (most assessment steps are just a date)."""
    attrs = {
        name: GovukDateField(label=label),
        "field_map": {service_field: name} if service_field else {},
    }
    return type(f"{name.title().replace('_', '')}Form", (base,), attrs)


StartForm = _date_form(RecordingForm, "started_on", "Assessment start date")
ChildSeenForm = _date_form(
    VersionedForm, "seen_on", "Date the child was seen", service_field="child_seen_on"
)
SubmitForm = _date_form(VersionedForm, "submitted_on", "Date submitted")


class CompleteForm(VersionedForm):
    completed_on = GovukDateField(label="Date completed")
    outcome = choice("Outcome", AssessmentOutcome.choices)
    factors = forms.MultipleChoiceField(
        label="Assessment factors",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every factor identified. Select 21 only if none were identified.",
        error_messages={"required": "Select at least one assessment factor"},
    )
    primary_need = choice(
        "Primary need",
        [("", "Choose the primary need")] + PrimaryNeed.choices,
        radios=False,
        required=False,
    )
    summary = text("Summary", required=False, rows=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = _factor_choices()
        self.helper.layout = Layout(
            "form_token",
            "version",
            Field("completed_on"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.checkboxes("factors", legend_size=Size.SMALL, small=True),
            Field("primary_need"),
            Field.textarea("summary"),
        )


def _factor_choices():
    if isinstance(ASSESSMENT_FACTORS, dict):
        return [(code, f"{code}: {label}") for code, label in ASSESSMENT_FACTORS.items()]
    return [(code, code) for code in ASSESSMENT_FACTORS]


class DecisionForm(VersionedForm):
    """A manager's decision on a submitted assessment, made on the page that shows it."""

    decision = choice(
        "Your decision",
        [("authorise", "Authorise the assessment"), ("return", "Return it to the worker")],
    )
    decided_on = GovukDateField(label="Date of your decision")
    reason = text(
        "Reason for returning", required=False, rows=4, help_text="Needed if you return it"
    )
    # Not seen yet: said beside the decision, which is what cannot be made.
    field_map = {
        "authorised_on": "decided_on",
        "returned_on": "decided_on",
        "child_seen_on": "decision",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "form_token",
            "version",
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field("decided_on"),
            Field.textarea("reason"),
        )

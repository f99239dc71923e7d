"""Early help forms: shape and format only; every rule is the service's."""

from __future__ import annotations

from django import forms

from casework.forms.common import (
    GovukDateField,
    RecordingForm,
    VersionedForm,
    choice,
    govuk_layout,
    short_text,
    text,
)
from earlyhelp.codes import ClosureReason, LeadAgency, Need

AGENCIES = [("", "Choose an organisation")] + LeadAgency.choices


class _Laid:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = govuk_layout(self)


class RequestForm(_Laid, RecordingForm):
    requested_on = GovukDateField(label="Request date")
    requested_by_agency = choice("Requesting organisation", AGENCIES, radios=False)
    reason = text("Reason for the request", rows=4)
    field_map = {"child": "requested_on", "route": "requested_by_agency"}


class StepDownForm(_Laid, RecordingForm):
    requested_on = GovukDateField(label="Request date")
    reason = text("Reason for the step-down", rows=4)
    field_map = {"child": "requested_on", "referral": "requested_on"}


class AssessmentStartForm(_Laid, VersionedForm):
    consent_on = GovukDateField(label="Date the family gave consent")
    started_on = GovukDateField(label="Assessment start date")
    lead_agency = choice("Lead organisation", AGENCIES, radios=False)
    lead_practitioner = short_text("Lead practitioner", 100, required=True)


class AssessmentCompleteForm(_Laid, VersionedForm):
    completed_on = GovukDateField(label="Assessment completion date")
    needs = forms.MultipleChoiceField(
        label="The family's needs",
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one of the family's needs"},
    )


class TafMemberForm(_Laid, VersionedForm):
    name = short_text("Practitioner's name", 100, required=True)
    agency = choice("Organisation", AGENCIES, radios=False)
    role = short_text("Role", 100)
    joined_on = GovukDateField(label="Date joined")


class PlanStartForm(_Laid, VersionedForm):
    started_on = GovukDateField(label="Family plan start date")


class ReviewForm(_Laid, VersionedForm):
    held_on = GovukDateField(label="Review date")
    progress = text("Progress against the plan", rows=4)


class CloseForm(_Laid, VersionedForm):
    closed_on = GovukDateField(label="Closure date")
    reason = choice(
        "Reason for closure",
        [c for c in ClosureReason.choices if c[0] != ClosureReason.STEPPED_UP],
    )
    notes = text("Notes", required=False, rows=3)


class StepUpForm(_Laid, VersionedForm):
    referred_on = GovukDateField(label="Date of the referral to children's social care")
    reason = text("Why the child needs children's social care now", rows=5)
    field_map = {"received_at": "referred_on"}

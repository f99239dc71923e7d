"""Child in need plan start and end: a date each; the census rules are the service's."""

from __future__ import annotations

from casework.forms.common import GovukDateField, RecordingForm, VersionedForm


class CINPlanStartForm(RecordingForm):
    started_on = GovukDateField(label="Plan start date")


class CINPlanEndForm(VersionedForm):
    ended_on = GovukDateField(label="Plan end date")

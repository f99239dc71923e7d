"""Child protection steps: strategy discussion, s47 outcome and sign-off, ICPC, plan,
core group, review conference and ending a plan."""

from __future__ import annotations

from django import forms

from casework.codes import AbuseCategory
from casework.forms.common import (
    GovukDateField,
    RecordingForm,
    VersionedForm,
    choice,
    govuk_layout,
    short_text,
    text,
    yes_no,
)
from casework.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceOutcome,
    S47Outcome,
)

CHAIR_MAX = ChildProtectionConference._meta.get_field("chair").max_length
END_REASON_MAX = ChildProtectionPlan._meta.get_field("end_reason").max_length


class LaidOut:
    """Lays the form out with the Design System patterns for its widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = govuk_layout(self)


class LaidOutForm(LaidOut, RecordingForm):
    pass


class LaidOutVersionedForm(LaidOut, VersionedForm):
    pass


class StrategyDiscussionForm(LaidOutForm):
    held_on = GovukDateField(label="Date of the strategy discussion")
    s47_required = yes_no(
        "Start a section 47 enquiry?",
        help_text="The enquiry starts on the date of the discussion",
    )
    attendees = text("Agencies taking part", required=False, rows=3)
    notes = text("Notes", required=False)
    field_map = {"started_on": "held_on"}


class S47OutcomeForm(LaidOutVersionedForm):
    ended_on = GovukDateField(label="Date the enquiry ended")
    outcome = choice("Outcome of the enquiry", S47Outcome.choices)


class S47SignOffForm(LaidOutVersionedForm):
    decision = choice(
        "Your decision",
        [("authorise", "Sign off the outcome"), ("return", "Return it to the worker")],
    )
    reason = text(
        "Reason for returning", required=False, rows=3, help_text="Needed if you return it"
    )


class IcpcForm(LaidOutVersionedForm):
    held_on = GovukDateField(label="Date of the initial conference")
    outcome = choice(
        "Outcome of the conference",
        [
            (c, ConferenceOutcome(c).label)
            for c in (ConferenceOutcome.PLAN, ConferenceOutcome.NO_PLAN)
        ],
    )
    chair = short_text("Chair", CHAIR_MAX)


class PlanStartForm(LaidOutVersionedForm):
    category = choice("Category of abuse", AbuseCategory.choices)


class PlanEndForm(LaidOutVersionedForm):
    ended_on = GovukDateField(label="Date the plan ended")
    reason = short_text("Reason the plan ended", END_REASON_MAX, required=True)


class VisitStandardForm(LaidOutVersionedForm):
    working_days = forms.IntegerField(
        label="Working days between visits",
        required=False,
        help_text="Leave empty to use the authority's standard.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    reason = short_text("Reason for the change", END_REASON_MAX, required=True)
    field_map = {"visit_standard_working_days": "working_days"}


class CoreGroupForm(LaidOutVersionedForm):
    held_on = GovukDateField(label="Date of the core group meeting")
    notes = text("Notes", required=False)


class ReviewForm(LaidOutVersionedForm):
    held_on = GovukDateField(label="Date of the review conference")
    outcome = choice(
        "Outcome of the review",
        [
            (c, ConferenceOutcome(c).label)
            for c in (ConferenceOutcome.CONTINUE, ConferenceOutcome.END_PLAN)
        ],
    )
    latest_category = choice(
        "Category of abuse now",
        [("", "No change")] + AbuseCategory.choices,
        radios=False,
        required=False,
    )
    chair = short_text("Chair", CHAIR_MAX)

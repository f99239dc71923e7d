"""Forms for the establishment, supervision and audit pages (shape only: the rules are
the services')."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from casework.forms.common import GovukDateField, choice, govuk_layout, short_text, text, yes_no
from casework.forms.protection import LaidOutForm as CaseworkForm
from casework.models import Employment, WorkerRole
from workforce.codes import AUDIT_QUESTIONS, AbsenceKind, Grade, LeavingReason


class LaidOutForm(CaseworkForm):
    def cleaned_data_without_token(self) -> dict:
        """The fields a service takes: everything but the one-time form token."""
        return {k: v for k, v in self.cleaned_data.items() if k != "form_token"}


def fte(label: str = "FTE") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0.01"), max_value=Decimal("1.00"), max_digits=3,
        decimal_places=2, help_text="For example 1.00 for full time, 0.50 for half time",
        error_messages={
            "required": f"Enter the {label}", "invalid": f"{label} must be a number like 0.50",
            "min_value": f"{label} must be more than 0",
            "max_value": f"{label} must be 1.00 or less",
            "max_decimal_places": f"{label} can have at most 2 decimal places",
            "max_digits": f"{label} must be a number like 0.50",
        },
    )  # fmt: skip


class PostForm(LaidOutForm):
    role = choice("Role", WorkerRole.choices, radios=False)
    title = short_text("Post title", 100)
    budgeted_fte = fte("Budgeted FTE")
    valid_from = GovukDateField(label="Date the post starts")


class PostCloseForm(LaidOutForm):
    valid_to = GovukDateField(label="Last day of the post")


class StarterForm(LaidOutForm):
    first_name = short_text("First name", 60, required=True)
    last_name = short_text("Last name", 60, required=True)
    staff_id = short_text("Staff ID", 20)
    swe_registration = short_text(
        "Social Work England registration number (social work roles: SW followed by digits)", 12
    )
    started_on = GovukDateField(label="Start date")
    fte = fte()
    employment = choice("Employment", Employment.choices)
    newly_qualified = yes_no("Newly qualified (in the ASYE)?")


class LeaverForm(LaidOutForm):
    ended_on = GovukDateField(label="Last day in the post")
    leaving_reason = choice(
        "Reason", [("", "Moved to another post in children's services"), *LeavingReason.choices],
        radios=False, required=False,
    )  # fmt: skip


class AbsenceForm(LaidOutForm):
    kind = choice("Kind of absence", AbsenceKind.choices, radios=False)
    started_on = GovukDateField(label="First day of the absence")
    ended_on = GovukDateField(label="Last day of the absence")
    days_lost = forms.DecimalField(
        label="Working days lost", required=False, min_value=0, max_value=999, decimal_places=1,
        help_text="Leave blank to count every working day from the first to the last",
        error_messages={"invalid": "Working days lost must be a number like 2.5"},
    )  # fmt: skip


class SupervisionForm(LaidOutForm):
    held_on = GovukDateField(label="Date of the supervision")
    decisions = text("Decisions and actions", rows=6)


class WorkerSupervisionForm(LaidOutForm):
    held_on = GovukDateField(label="Date of the supervision")
    notes = text("Notes", rows=6)


def _grade(label: str) -> forms.ChoiceField:
    return choice(label, Grade.choices, radios=False)


class AuditForm(LaidOutForm):
    audited_on = GovukDateField(label="Date of the audit")
    findings = text("Findings", required=False, rows=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, theme, question in AUDIT_QUESTIONS:
            self.fields[f"q_{key}"] = _grade(f"{theme}: {question}")
        self.fields["grade"] = _grade("Overall grade")
        self.fields["findings"] = self.fields.pop("findings")
        self.helper.layout = govuk_layout(self)

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"q_{key}"] for key, _, _ in AUDIT_QUESTIONS}


class ModerationForm(LaidOutForm):
    moderated_on = GovukDateField(label="Date of the moderation")
    grade = _grade("Moderated grade")
    notes = text("Moderation notes", required=False, rows=4)


class AuditActionForm(LaidOutForm):
    description = text("Action", rows=3)
    owner = forms.ModelChoiceField(
        label="Owner", queryset=None, error_messages={"required": "Select the owner"}
    )
    due_on = GovukDateField(label="Due date")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

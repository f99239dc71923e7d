"""The head of service's target form: shape and format only; the rules are the service's."""

from __future__ import annotations

from django import forms

from casework.forms.common import RecordingForm


def _number(label: str) -> forms.DecimalField:
    lower = label[0].lower() + label[1:]
    return forms.DecimalField(
        label=label,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        error_messages={
            "required": f"Enter {lower}",
            "invalid": f"{label} must be a number, like 85 or 12.5",
            "max_digits": f"{label} must be smaller",
            "max_decimal_places": f"{label} must have no more than 2 decimal places",
            "max_whole_digits": f"{label} must be smaller",
            "min_value": f"{label} must be 0 or more",
        },
    )


class KpiTargetForm(RecordingForm):
    value = _number("Target")
    amber_threshold = _number("Amber threshold")

    def __init__(self, *args, kpi=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kpi is not None:
            better = {"higher": "Higher values are better", "lower": "Lower values are better"}
            hint = better.get(kpi.polarity, "Neither higher nor lower is better")
            self.fields["value"].help_text = f"Green at or beyond this value. {hint}."
            self.fields[
                "amber_threshold"
            ].help_text = "Between this and the target is amber; beyond it, red."

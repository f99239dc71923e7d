"""A visit, with seen / seen alone, recorded for the child and any household siblings
who were part of the same visit (one form, one atomic service call)."""

from __future__ import annotations

from django import forms

from casework.forms.common import GovukDateField, choice, govuk_layout, text, yes_no
from casework.forms.protection import LaidOutForm
from casework.models import VisitKind


def _checkboxes(label: str, choices, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Select {label[0].lower() + label[1:]} from the list"},
    )


class VisitForm(LaidOutForm):
    kind = choice("Kind of visit", VisitKind.choices)
    visited_on = GovukDateField(label="Date of the visit")
    child_seen = yes_no("Was the child seen?")
    seen_alone = yes_no("Was the child seen alone?", help_text="Only if the child was seen")
    notes = text("Notes", required=False, rows=8)
    # A sibling's missing CP plan is a fault of the kind of visit chosen for them.
    field_map = {"cp_plan": "kind", "children": "siblings"}

    def __init__(self, *args, child, siblings, **kwargs):
        self.siblings = {str(r.child_id): r for r in siblings}
        super().__init__(*args, **kwargs)
        name = child.full_name
        self.fields["child_seen"].label = f"Was {name} seen?"
        self.fields["seen_alone"].label = f"Was {name} seen alone?"
        self.fields["seen_alone"].required = False
        if siblings:
            options = [(str(r.child_id), r.child.full_name) for r in siblings]
            self.fields["siblings"] = _checkboxes(
                "Other children in the household on this visit",
                options,
                "Open cases only: the visit is recorded for each child you select",
            )
            self.fields["siblings_seen"] = _checkboxes("Which of them were seen?", options)
            self.fields["siblings_seen_alone"] = _checkboxes(
                "Which of them were seen alone?", options
            )
            # notes last, after the sibling questions
            self.fields["notes"] = self.fields.pop("notes")
        self.helper.layout = govuk_layout(self)

    def clean(self):
        data = super().clean()
        chosen = set(data.get("siblings") or [])
        for name in ("siblings_seen", "siblings_seen_alone"):
            extra = set(data.get(name) or []) - chosen
            if extra:
                names = ", ".join(self.siblings[pk].child.full_name for pk in sorted(extra))
                self.add_error(name, f"Select {names} as on this visit first")
        return data

    def sibling_visits(self) -> list[tuple]:
        """(episode, seen, seen alone) for each sibling selected."""
        data = self.cleaned_data
        seen = set(data.get("siblings_seen") or [])
        alone = set(data.get("siblings_seen_alone") or [])
        return [
            (self.siblings[pk], pk in seen, pk in seen and pk in alone)
            for pk in data.get("siblings") or []
        ]

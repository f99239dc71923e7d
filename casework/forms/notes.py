"""A case note: kind, date, seen / seen alone where the child may be seen, and the text."""

from __future__ import annotations

from casework.forms.common import GovukDateField, choice, text, yes_no
from casework.forms.protection import LaidOutForm
from casework.models import CaseNoteKind


def _optional_yes_no(label: str, help_text: str):
    field = yes_no(label, help_text=help_text)
    field.required = False
    return field


class CaseNoteForm(LaidOutForm):
    kind = choice("Kind of work", CaseNoteKind.choices)
    occurred_on = GovukDateField(label="Date")
    child_seen = _optional_yes_no(
        "Was the child seen?", "For a visit or direct work; leave blank otherwise"
    )
    seen_alone = _optional_yes_no("Was the child seen alone?", "Only if the child was seen")
    text = text("Case note", rows=10)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child_seen"].label = f"Was {child.full_name} seen?"
        self.fields["seen_alone"].label = f"Was {child.full_name} seen alone?"

    def seen(self, name: str) -> bool | None:
        value = self.cleaned_data.get(name)
        return None if not value else value == "yes"

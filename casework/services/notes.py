"""Case notes: the narrative of work with a child (casework.models.notes)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from casework import errors, rules
from casework.errors import DomainError
from casework.models import CaseNote, CaseNoteKind, Child
from casework.predicates import open_episodes
from casework.services.common import actor, save
from casework.services.permissions import require

NOTE_SEEN_REQUIRED = "Say whether the child was seen"
NOTE_SEEN_ALONE_REQUIRED = "Say whether the child was seen alone"
NOTE_TEXT_REQUIRED = "Enter the case note"


@transaction.atomic
def case_note_record(
    *,
    child: Child,
    by,
    kind: str,
    occurred_on: date,
    text: str,
    child_seen: bool | None = None,
    seen_alone: bool | None = None,
) -> CaseNote:
    """A note on the child's record, linked to the open episode if there is one. Seen and
    seen alone are recorded for the kinds of work where the child may be seen, and only
    for those."""
    require(by, "case_note_record")
    if kind not in CaseNoteKind.values:
        raise DomainError(errors.CHILD_BAD_CODE.format(value=kind, label="kind"), "kind")
    rules.not_in_future(occurred_on, field="occurred_on")
    text = (text or "").strip()
    if not text:
        raise DomainError(NOTE_TEXT_REQUIRED, field="text")
    if kind in CaseNoteKind.visits():
        if child_seen is None:
            raise DomainError(NOTE_SEEN_REQUIRED, field="child_seen")
        if child_seen and seen_alone is None:
            raise DomainError(NOTE_SEEN_ALONE_REQUIRED, field="seen_alone")
        seen_alone = bool(child_seen and seen_alone)
    else:
        child_seen = seen_alone = None
    episode = open_episodes().filter(child=child).first()
    note = CaseNote(
        child=child,
        referral=episode,
        kind=kind,
        occurred_on=occurred_on,
        child_seen=child_seen,
        seen_alone=seen_alone,
        text=text,
        recorded_by=by,
    )
    return save(note, by=by, why=f"Case note recorded by {actor(by)}")

"""Sections other apps add to the child record, so casework never imports them.

An app registers a template and a function giving its context for one child (from its
AppConfig.ready); the child record includes each in registration order. Each context
function must cost a fixed number of queries whatever the child's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChildRecordSection:
    template: str
    context: Callable  # (request, child) -> dict


CHILD_RECORD_SECTIONS: list[ChildRecordSection] = []


def register(section: ChildRecordSection) -> None:
    if section not in CHILD_RECORD_SECTIONS:
        CHILD_RECORD_SECTIONS.append(section)


def for_child(request, child) -> list[tuple[str, dict]]:
    return [(s.template, s.context(request, child)) for s in CHILD_RECORD_SECTIONS]

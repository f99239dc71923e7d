"""Commentary on the quarterly report: written by the head of service, kept per report,
per section and per line, with the history of every earlier wording."""

from __future__ import annotations

from django.db import transaction

from metrics.models import ReportCommentary

MAX_LENGTH = 4000
COMMENTARY_ROLE = "Only a head of service can write the report's commentary"
TOO_LONG = "Commentary must be {max} characters or fewer (this is {n})"
UNKNOWN_LINE = "There is no line {kpi} in section {section}"


def field_name(section: str, kpi: str = "") -> str:
    return f"c-{section}-{kpi}" if kpi else f"c-{section}"


def commentary_for(report: str) -> dict[tuple[str, str], ReportCommentary]:
    """{(section, kpi or ""): commentary} of one report: one query."""
    rows = ReportCommentary.objects.filter(report=report).select_related("written_by")
    return {(c.section, c.kpi): c for c in rows}


@transaction.atomic
def report_commentary_save(*, report: str, entries: dict[tuple[str, str], str], by) -> int:
    """Save the commentary of ``report``; returns how many entries changed.

    All or nothing: every entry is checked before any is written; DomainError names the
    field of the first problem. An emptied entry is kept, empty, so its history stays.
    """
    from accounts.permissions import can
    from casework.errors import DomainError, DomainPermissionError
    from metrics.report import SECTIONS

    if not can(by, "report_comment"):
        raise DomainPermissionError(COMMENTARY_ROLE)
    lines = {(s.key, ""): s for s in SECTIONS} | {(s.key, c): s for s in SECTIONS for c in s.codes}
    for (section, kpi), text in entries.items():
        if (section, kpi) not in lines:
            raise DomainError(UNKNOWN_LINE.format(kpi=kpi, section=section))
        if len(text) > MAX_LENGTH:
            raise DomainError(TOO_LONG.format(max=MAX_LENGTH, n=len(text)),
                              field=field_name(section, kpi))  # fmt: skip
    existing = {
        (c.section, c.kpi): c
        for c in ReportCommentary.objects.select_for_update().filter(report=report)
    }
    changed = 0
    for (section, kpi), text in entries.items():
        text = text.strip()
        found = existing.get((section, kpi))
        if (found.text if found else "") == text:
            continue
        found = found or ReportCommentary(report=report, section=section, kpi=kpi)
        found.text, found.written_by = text, by
        found._history_user = by
        found.save()
        changed += 1
    return changed

"""Case file audits: monthly samples, grading, moderation and actions (A4).

Grades are Ofsted's four-point scale. A moderated audit keeps both grades; results use
the moderated one (``CaseAudit.final_grade``).
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.db.models import Q
from django_fsm import can_proceed

from accounts.permissions import can
from casework.errors import DomainError
from casework.models import Allocation, Child, Team, Worker
from casework.predicates import open_allocations
from casework.services.common import lock
from workforce import errors
from workforce.codes import AUDIT_QUESTIONS, Grade
from workforce.models import AuditAction, CaseAudit
from workforce.services import not_future, record, refuse
from workforce.services.supervision import standard

QUESTION_KEYS = tuple(key for key, _, _ in AUDIT_QUESTIONS)


def _current_allocation(child: Child) -> Allocation | None:
    return open_allocations().filter(child=child).order_by("-started_on", "-pk").first()


@transaction.atomic
def audit_sample_draw(*, month: date, by=None, seed: int | None = None) -> list[CaseAudit]:
    """Draw each active team's sample for ``month`` from the children it holds now.

    Idempotent for a month: a team whose sample is drawn gets no second one. Random,
    seeded by month and team so a redraw after a rollback picks the same files.
    """
    month = month.replace(day=1)
    per_team = standard().audits_per_team_month
    drawn = []
    for team in Team.objects.filter(is_active=True).order_by("pk"):
        if CaseAudit.objects.filter(team=team, sample_month=month).exists():
            continue
        held = list(
            open_allocations()
            .filter(Q(team=team) | Q(worker__team=team))
            .order_by("child_id")
            .values_list("child_id", "referral_id", "worker_id")
            .distinct()
        )
        rng = random.Random(f"{seed or 0}-{month:%Y-%m}-{team.pk}")  # noqa: S311 - a sample, not a secret
        for child_id, referral_id, worker_id in rng.sample(held, min(per_team, len(held))):
            audit = CaseAudit(child_id=child_id, referral_id=referral_id, worker_id=worker_id,
                              team=team, sample_month=month)  # fmt: skip
            drawn.append(record(audit, by=by, why="Drawn for the monthly sample"))
    return drawn


def audit_start(*, child: Child, theme: str = "", by) -> CaseAudit:
    """An audit outside the monthly sample (thematic, or a manager's own choice)."""
    if not can(by, "case_file_audit"):
        refuse(errors.NOT_AUDITOR_ROLE)
    allocation = _current_allocation(child)
    if allocation is None:
        raise DomainError(errors.NOT_ALLOCATED)
    audit = CaseAudit(child=child, referral_id=allocation.referral_id, team_id=allocation.team_id,
                      worker_id=allocation.worker_id, theme=theme)  # fmt: skip
    return record(audit, by=by, why="Audit started")


# -- decisions: the audit's own guards, returning the new status; no writes or reads. Who
# may audit or moderate (not their own case, not their own audit) stays in the services,
# which know the user; the workforce generator asks these for the audits it writes.


def decide_audit_complete(audit: CaseAudit, *, answers: dict[str, str], audited_on: date) -> str:
    if not can_proceed(audit.complete):
        raise DomainError(errors.AUDIT_NOT_OPEN.format(status=audit.get_status_display().lower()))
    if set(answers) != set(QUESTION_KEYS) or not set(answers.values()) <= set(Grade.values):
        raise DomainError(errors.ANSWER_EVERY_QUESTION, field="grade")
    not_future(audited_on, "audited_on")
    return CaseAudit.Status.COMPLETED


def decide_audit_moderate(audit: CaseAudit, *, moderated_on: date) -> str:
    if not can_proceed(audit.moderate):
        raise DomainError(errors.AUDIT_NOT_COMPLETED)
    not_future(moderated_on, "moderated_on")
    return CaseAudit.Status.MODERATED


@transaction.atomic
def audit_complete(*, audit: CaseAudit, answers: dict[str, str], grade: str, findings: str,
                   audited_on: date, by) -> CaseAudit:  # fmt: skip
    if not can(by, "case_file_audit"):
        refuse(errors.NOT_AUDITOR_ROLE)
    audit = lock(audit)
    decide_audit_complete(audit, answers=answers, audited_on=audited_on)
    if audit.worker_id and Worker.objects.filter(pk=audit.worker_id, user=by).exists():
        refuse(errors.OWN_CASE)
    audit.answers, audit.grade, audit.findings = answers, grade, findings.strip()
    audit.audited_on, audit.auditor = audited_on, by
    audit.complete()
    return record(audit, by=by, why="Audit completed", day=audited_on)


@transaction.atomic
def audit_record(*, child: Child, answers: dict[str, str], grade: str, findings: str,
                 audited_on: date, theme: str = "", by) -> CaseAudit:  # fmt: skip
    """An audit outside the monthly sample, started and completed in one go."""
    audit = audit_start(child=child, theme=theme, by=by)
    return audit_complete(audit=audit, answers=answers, grade=grade, findings=findings,
                          audited_on=audited_on, by=by)  # fmt: skip


@transaction.atomic
def audit_moderate(*, audit: CaseAudit, grade: str, notes: str, moderated_on: date,
                   by) -> CaseAudit:  # fmt: skip
    """A second auditor's grade; the auditor's own grade is kept beside it."""
    if not can(by, "case_file_audit"):
        refuse(errors.NOT_AUDITOR_ROLE)
    audit = lock(audit)
    decide_audit_moderate(audit, moderated_on=moderated_on)
    if audit.auditor_id == by.pk:
        refuse(errors.MODERATOR_IS_AUDITOR)
    audit.moderated_grade, audit.moderation_notes = grade, notes.strip()
    audit.moderated_on, audit.moderator = moderated_on, by
    audit.moderate()
    return record(audit, by=by, why="Audit moderated", day=audit.audited_on)


@transaction.atomic
def audit_action_add(*, audit: CaseAudit, description: str, owner: Worker, due_on: date,
                     by) -> AuditAction:  # fmt: skip
    if not can(by, "case_file_audit"):
        refuse(errors.NOT_AUDITOR_ROLE)
    action = AuditAction(audit=audit, description=description.strip(), owner=owner, due_on=due_on)
    return record(action, by=by, why="Audit action")


@transaction.atomic
def audit_action_done(*, action: AuditAction, done_on: date, by) -> AuditAction:
    action = lock(action)
    if action.done_on is not None:
        raise DomainError(errors.ACTION_DONE, field="done_on")
    action.done_on = not_future(done_on, "done_on")
    return record(action, by=by, why="Audit action done")

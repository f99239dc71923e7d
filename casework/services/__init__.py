"""Casework domain operations: the one write path for views, API, tasks and the generator.

Assessments (assessments.py)
    assessment_start, assessment_record_child_seen, assessment_complete,
    assessment_submit, assessment_return, assessment_authorise

Front-door operations (contact_record, contact_screen, referral_open, referral_close,
referral_reopen) live in ``referrals.services``.

Every operation is keyword-only, takes the acting user as ``by``, checks the permission
table (permissions.py), runs in one transaction with the transitioned row locked, raises
``casework.errors.DomainError`` on refusal, bumps ``version`` and records who and why in
the record's history.
"""

from casework.services.assessments import (
    assessment_authorise,
    assessment_complete,
    assessment_record_child_seen,
    assessment_return,
    assessment_start,
    assessment_submit,
)

__all__ = [
    "assessment_authorise",
    "assessment_complete",
    "assessment_record_child_seen",
    "assessment_return",
    "assessment_start",
    "assessment_submit",
]

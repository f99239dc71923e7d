"""Casework domain operations: the one write path for views, API, tasks and the generator.

Children (children.py)
    child_create, child_update (optimistic: pass the loaded ``version``), validate_child
Assessments (assessments.py)
    assessment_start, assessment_record_child_seen, assessment_complete,
    assessment_submit, assessment_return, assessment_authorise
Child protection (protection.py)
    strategy_discussion_record (starts the s47 when one is decided), s47_start,
    s47_submit_outcome, s47_return_outcome, s47_complete, icpc_record
Plans (plans.py)
    cp_plan_start, review_record, cp_plan_end, core_group_record,
    cin_plan_start, cin_plan_end
Visits (visits.py)
    visit_record, visits_record_for_siblings (one household visit, several children)
Allocation (allocation.py)
    case_allocate, allocation_end
Records (records.py)
    record_mark_entered_in_error

Front-door operations (contact_record, contact_screen, referral_open, referral_close,
referral_reopen) live in ``referrals.services``; census data-quality checks shared with
forms, the API and importers live in ``casework.rules``; who may do what is the table in
``casework.services.permissions``.

Every operation is keyword-only, takes the acting user as ``by``, checks the permission
table, runs in one transaction with the transitioned row locked (``select_for_update``),
raises ``casework.errors.DomainError`` (with ``.field``) on refusal and never leaks
django-fsm's ``TransitionNotAllowed``, bumps ``version`` and records who and why in the
record's history. Dates may be back-dated but never in the future.
"""

from casework.services.allocation import allocation_end, case_allocate
from casework.services.assessments import (
    assessment_authorise,
    assessment_complete,
    assessment_record_child_seen,
    assessment_return,
    assessment_start,
    assessment_submit,
)
from casework.services.children import child_create, child_update, validate_child
from casework.services.plans import (
    cin_plan_end,
    cin_plan_start,
    core_group_record,
    cp_plan_end,
    cp_plan_start,
    review_record,
)
from casework.services.protection import (
    icpc_record,
    s47_complete,
    s47_return_outcome,
    s47_start,
    s47_submit_outcome,
    strategy_discussion_record,
)
from casework.services.records import record_mark_entered_in_error
from casework.services.visits import SiblingVisit, visit_record, visits_record_for_siblings

__all__ = [
    "allocation_end",
    "assessment_authorise",
    "assessment_complete",
    "assessment_record_child_seen",
    "assessment_return",
    "assessment_start",
    "assessment_submit",
    "case_allocate",
    "child_create",
    "child_update",
    "cin_plan_end",
    "cin_plan_start",
    "core_group_record",
    "cp_plan_end",
    "cp_plan_start",
    "icpc_record",
    "record_mark_entered_in_error",
    "review_record",
    "s47_complete",
    "s47_return_outcome",
    "s47_start",
    "s47_submit_outcome",
    "strategy_discussion_record",
    "validate_child",
    "SiblingVisit",
    "visit_record",
    "visits_record_for_siblings",
]

"""Who may perform each domain operation: one table, checked by every service.

Social workers record; managers authorise, sign off and allocate; business support may
record contacts and children's details; auditors read only. Views use ``can()`` to hide
buttons; the services call ``require()`` so no caller can skip the check.
"""

from __future__ import annotations

from accounts.models import Role
from casework import errors
from casework.errors import DomainPermissionError

_RECORDERS = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR}
)
_MANAGERS = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})
_DATA_ENTRY = _RECORDERS | {Role.BUSINESS_SUPPORT}
_KPI_OWNERS = frozenset({Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})

# operation -> (roles allowed, words completing "does not allow you to ...")
PERMISSIONS: dict[str, tuple[frozenset[str], str]] = {
    "child_create": (_DATA_ENTRY, "add a child"),
    "child_update": (_DATA_ENTRY, "change a child's details"),
    "contact_record": (_DATA_ENTRY, "record a contact"),
    "contact_screen": (_RECORDERS, "record a screening decision"),
    "referral_open": (_RECORDERS, "open a referral"),
    "referral_close": (_MANAGERS, "close an episode"),
    "referral_reopen": (_MANAGERS, "reopen an episode"),
    "assessment_start": (_RECORDERS, "start an assessment"),
    "assessment_record_child_seen": (_RECORDERS, "record when the child was seen"),
    "assessment_complete": (_RECORDERS, "complete an assessment"),
    "assessment_submit": (_RECORDERS, "submit an assessment"),
    "assessment_return": (_MANAGERS, "return an assessment"),
    "assessment_authorise": (_MANAGERS, "authorise an assessment"),
    "strategy_discussion_record": (_RECORDERS, "record a strategy discussion"),
    "s47_start": (_RECORDERS, "start a section 47 enquiry"),
    "s47_submit_outcome": (_RECORDERS, "record a section 47 outcome"),
    "s47_return_outcome": (_MANAGERS, "return a section 47 outcome"),
    "s47_complete": (_MANAGERS, "sign off a section 47 outcome"),
    "icpc_record": (_RECORDERS, "record an initial conference"),
    "cp_plan_start": (_RECORDERS, "start a child protection plan"),
    "cp_plan_end": (_MANAGERS, "end a child protection plan outside a review"),
    "cp_plan_visit_standard_set": (_MANAGERS, "vary a child protection plan's visit standard"),
    "review_record": (_RECORDERS, "record a review conference"),
    "core_group_record": (_RECORDERS, "record a core group"),
    "cin_plan_start": (_RECORDERS, "start a child in need plan"),
    "cin_plan_end": (_RECORDERS, "end a child in need plan"),
    "visit_record": (_RECORDERS, "record a visit"),
    "case_note_record": (_RECORDERS, "record a case note"),
    "case_allocate": (_MANAGERS, "allocate a case"),
    "allocation_end": (_MANAGERS, "end an allocation"),
    "record_mark_entered_in_error": (_MANAGERS, "mark a record as entered in error"),
    # Early help (earlyhelp.services)
    "early_help_request": (_RECORDERS, "request early help"),
    "early_help_record": (_RECORDERS, "record early help work"),
    "early_help_close": (_RECORDERS, "close an early help episode"),
    "early_help_step_up": (_RECORDERS, "step a child up to children's social care"),
    # Restricted records (accounts.services)
    "child_restrict": (_MANAGERS, "restrict a record"),
    # KPIs (metrics): heads of service and administrators run the figures and own targets.
    "kpi_recompute": (_KPI_OWNERS, "recalculate the KPIs"),
    "kpi_target_set": (_KPI_OWNERS, "set KPI targets"),
    # Any recording step on a case record: the step pages' check (each step's service
    # then checks its own operation, e.g. only managers authorise).
    "case_record": (_RECORDERS, "record on a case"),
}


def can(user, operation: str) -> bool:
    roles, _ = PERMISSIONS[operation]
    return bool(user and user.is_active and user.role in roles)


def require(user, operation: str) -> None:
    if not can(user, operation):
        _, words = PERMISSIONS[operation]
        role = Role(user.role).label if user and user.role in Role.values else "none"
        raise DomainPermissionError(errors.ROLE_NOT_ALLOWED.format(role=role, action=words))

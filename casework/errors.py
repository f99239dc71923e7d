"""Domain errors raised by the service layer (casework and referrals).

Every refusal is a ``DomainError`` carrying a message a user can act on and, where one
field is at fault, that field's name, so a form shows the message beside the field and
the API answers 400 (or 409 for ``CONFLICT``). Messages are module constants that tests
assert on; ``{placeholders}`` are filled with ``str.format``.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class DomainPermissionError(DomainError):
    """The acting user's role may not perform this operation (the API answers 403)."""


class ConflictError(DomainError):
    """The record changed since the user loaded it (the API answers 409)."""


# Generic
NOT_ALLOWED_FROM_STATUS = "You cannot {action} {thing} that is {status}"
ROLE_NOT_ALLOWED = "Your role ({role}) does not allow you to {action}"
CONFLICT = (
    "This record was changed by someone else after you opened it. "
    "Reload it to see their changes, then make yours again"
)
DATE_IN_FUTURE = "The date cannot be in the future"
REASON_REQUIRED = "Enter a reason"
VISIT_STANDARD_RANGE = "Enter a whole number of working days from {low} to {high}"
ALREADY_IN_ERROR = "This record is already marked as entered in error"

# Census data-quality rules (domain.md section 2, last bullet)
DATE_BEFORE_REFERRAL = "The date cannot be before the referral date ({referred_on:%d/%m/%Y})"
DATE_AFTER_CLOSURE = "The date cannot be after the episode was closed ({closed_on:%d/%m/%Y})"
DATE_BEFORE = "The date cannot be before the {other} ({other_on:%d/%m/%Y})"
EPISODE_ALREADY_OPEN = (
    "This child already has an open child in need episode (referral of {referred_on:%d/%m/%Y}). "
    "Record further work on that episode, or close it first"
)
EPISODE_OVERLAPS = (
    "Child in need episodes cannot overlap: this child's previous episode closed on "
    "{closed_on:%d/%m/%Y}, so a new referral must be dated after it"
)
EPISODE_CLOSED = "This episode is closed: reopen it or open a new referral first"
ASSESSMENT_OVERLAPS = (
    "This child already has an assessment (started {started_on:%d/%m/%Y}) that is not "
    "authorised by this date: assessments cannot overlap"
)
S47_OVERLAPS = (
    "This child already has a section 47 enquiry (started {started_on:%d/%m/%Y}) that had not "
    "ended by this date: section 47 enquiries cannot overlap"
)
CP_PLAN_OVERLAPS = (
    "This child already has a child protection plan (started {started_on:%d/%m/%Y}) that had "
    "not ended by this date: child protection plans cannot overlap"
)
CIN_PLAN_OVERLAPS = (
    "This child already has a child in need plan (started {started_on:%d/%m/%Y}) that had not "
    "ended by this date"
)
CIN_PLAN_DURING_CP_PLAN = (
    "This child is on a child protection plan (started {started_on:%d/%m/%Y}): a child in need "
    "plan cannot run at the same time"
)
CIN_PLAN_STARTS_ON_ICPC = (
    "The child in need plan started on the date of the conference: end it or mark it entered "
    "in error before starting the child protection plan"
)
CP_PLAN_NOT_ON_ICPC = "A child protection plan starts on the date of its initial conference"
NOT_A_WORKING_DAY = "{day:%d/%m/%Y} is not a working day"

# Children (census characteristics)
CHILD_DOB_REQUIRED = "Enter a date of birth, or an expected date of birth for an unborn child"
CHILD_DOB_AND_EXPECTED = "Enter a date of birth or an expected date of birth, not both"
CHILD_UNBORN_SEX = "An unborn child's sex is recorded as U (not known)"
EPISODE_CLOSURE_AFTER_ACTIVITY = (
    "{reason} means closed after assessment with no further action, but this episode has "
    "{activity}: close it with RC7 (services ceased) instead"
)
EPISODE_CLOSURE_DIED_NO_DATE = "Record the child's date of death before closing the episode RC2"
AUTHORITY_OTHER_CODE = (
    "This installation is already set up for {held}; it cannot take LA code {la_code}"
)
CHILD_DEATH_UNBORN = "Enter the date of birth before a date of death"
CHILD_UNBORN_UPN = "An unborn child's UPN unknown reason is UN8 (child is unborn)"
CHILD_UPN_REQUIRED = "Enter the UPN, or the reason it is not known"
CHILD_UN7_NOT_NFA = (
    "UN7 means every referral of the child was no further action, and this child has a "
    "referral with further action: enter the UPN or the reason that fits the child"
)
CHILD_UPN_AND_REASON = "Enter the UPN or the reason it is not known, not both"
CHILD_UPN_FORMAT = "Enter a UPN: a letter, 11 digits, then a digit or letter"
CHILD_UPN_TAKEN = (
    "This UPN is already recorded for child {la_child_id}: a UPN belongs to one pupil "
    "(census rule 1520). Check the UPN, or use that child's record"
)
CHILD_NHS_FORMAT = "Enter a 10-digit NHS number with a valid check digit"
CHILD_DISABILITY_CODE = "Unknown disability code: {codes}"
CHILD_DISABILITY_NONE_ALONE = "NONE cannot be combined with a disability"
CHILD_ID_TAKEN = "Another child already has LA child ID {la_child_id}"
CHILD_UNKNOWN_FIELD = "{field} cannot be changed here"
CHILD_BAD_CODE = "{value} is not a valid {label} code"

# Contacts and referrals
CONTACT_NO_CHILDREN = "A contact must be about at least one child"
CONTACT_DECISION_MISSING = "Record a screening decision for every child: {names} not decided"
CONTACT_DECISION_UNKNOWN_CHILD = "{name} is not on this contact"
CONTACT_DECISION_CODE = "{value} is not a screening decision"
CONTACT_EXISTING_CASE_NOT_OPEN = (
    "{name} has no open child in need episode, so the decision cannot be 'existing open case'"
)
CONTACT_DECIDED_BEFORE_RECEIVED = "The decision cannot be before the contact was received"
EPISODE_CLOSURE_REASON_REQUIRED = "Enter the closure reason (RC1-RC9) for the closure date"
EPISODE_CLOSURE_DATE_REQUIRED = "Enter the closure date for the closure reason"
EPISODE_CLOSURE_OUTSTANDING = "This episode cannot be closed yet: {outstanding}"
EPISODE_CLOSURE_BEFORE_EVENT = (
    "The closure date cannot be before the last recorded event on the episode ({last_on:%d/%m/%Y})"
)
EPISODE_REOPEN_LATER_EPISODE = "A later episode exists for this child, so this one cannot reopen"

# Assessments
ASSESSMENT_AUTHORISE_OWN = "You cannot authorise an assessment you completed yourself"
ASSESSMENT_AUTHORISE_OWN_WORKER = "You cannot authorise an assessment allocated to you"
ASSESSMENT_CHILD_NOT_SEEN = "Record the date the child was seen before authorising the assessment"
ASSESSMENT_OUTCOME_REQUIRED = "Choose the outcome of the assessment"
ASSESSMENT_FACTORS_REQUIRED = "Record at least one assessment factor (21 if none were identified)"
ASSESSMENT_FACTOR_UNKNOWN = "Unknown assessment factor code: {codes}"
ASSESSMENT_FACTOR_21_ALONE = "Factor 21 (no factors identified) can only be recorded on its own"
ASSESSMENT_FACTOR_21_NFA = "Factor 21 (no factors identified) can only be recorded with NFA"
ASSESSMENT_RETURN_REASON = "Enter the reason for returning the assessment"
ASSESSMENT_REFERRAL_NFA = "This referral was closed as NFA at referral: no assessment follows"
PRIMARY_NEED_UNKNOWN = "{value} is not a census primary need code"

# Child protection
S47_NOT_REQUIRED = "The strategy discussion did not decide to start a section 47 enquiry"
S47_ALREADY_STARTED = "A section 47 enquiry has already started from this strategy discussion"
S47_OUTCOME_REQUIRED = "Choose the outcome of the section 47 enquiry"
ICPC_S47_NOT_ICPC = (
    "An initial conference is held only for a section 47 enquiry whose outcome is ICPC"
)
ICPC_S47_NOT_COMPLETED = "The section 47 enquiry's outcome must be signed off before the conference"
ICPC_ALREADY_HELD = "The initial conference for this enquiry has already been held"
ICPC_OUTCOME = "An initial conference ends with a plan or no plan"
PLAN_ICPC_NOT_PLAN = "A child protection plan starts only from a conference whose outcome is a plan"
PLAN_ICPC_NOT_HELD = "The conference has not been held yet"
PLAN_ALREADY_STARTED = "A plan has already started from this conference"
PLAN_CATEGORY_REQUIRED = "Choose the category of abuse"
REVIEW_OUTCOME = "A review conference ends with the plan continuing or ending"
VISIT_CP_NEEDS_PLAN = "A child protection visit needs the child's active plan"

# Allocation
ALLOCATION_WORKER_INACTIVE = "{worker} is not in post on {day:%d/%m/%Y}"
ALLOCATION_NONE_CURRENT = "This episode has no current allocation"
ALLOCATION_NOT_CASE_HOLDING = "{worker} does not hold cases: choose a social worker"
ALLOCATION_NOT_YOUR_TEAM = "{worker} is not in your team: choose a worker from your team"
ALLOCATION_OTHER_TEAM = "The team must be {worker}'s own team, {team}"
ALLOCATION_OVER_PROTECTED_LIMIT = (
    "{worker} is newly qualified and already holds {children} children, the most their "
    "protected caseload allows ({limit}): choose another worker"
)
VISIT_NO_CHILDREN = "Select at least one child who was part of the visit"

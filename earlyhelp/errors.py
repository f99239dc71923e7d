"""Early help refusals: messages a user can act on (see casework.errors)."""

EPISODE_OPEN = "{child} already has an open early help episode (requested {requested_on:%d/%m/%Y})"
EPISODE_OVERLAPS = (
    "The request date must be after the child's last early help episode closed "
    "({closed_on:%d/%m/%Y})"
)
ROUTE_UNKNOWN = "{value} is not a way of requesting early help"
AGENCY_UNKNOWN = "{value} is not an organisation type"
AGENCY_REQUIRED = "Choose the organisation"
CONTACT_NOT_EARLY_HELP = "The contact was not screened to early help for this child"
CONTACT_REQUIRED = "A request from a contact needs the contact"
ASSESSMENT_NOT_STEP_DOWN = (
    "A step-down needs an authorised assessment of this child with the outcome early help"
)
REFERRAL_NOT_STEP_DOWN = (
    "A step-down at closure needs this child's episode closed RC9 (referred to early help)"
)
PRACTITIONER_REQUIRED = "Enter the lead practitioner's name"
CONSENT_REQUIRED = "Enter the date the family gave consent"
NEEDS_REQUIRED = "Choose at least one of the family's needs"
NEED_UNKNOWN = "Unknown need code: {codes}"
TAF_REQUIRED = "Add the team around the family before starting the plan"
CLOSE_STEPPED_UP = "Use step up to children's social care to close an episode as stepped up"
CLOSURE_REASON_UNKNOWN = "{value} is not an early help closure reason"
EPISODE_CLOSED = "This early help episode is closed"
WORKER_NOT_IN_TEAM = "{worker} is not in {team}"
REVIEW_NEEDS_PLAN = "A review needs a family plan in place: start the plan first"

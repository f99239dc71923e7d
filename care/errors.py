"""Messages for refused care operations (asserted on by tests; ``str.format`` fields)."""

BAD_CODE = "Select a valid {label}"
ALREADY_LOOKED_AFTER = (
    "This child is already looked after (since {started_on:%d/%m/%Y}): record a change of "
    "legal status or placement instead"
)
PERIODS_OVERLAP = (
    "Periods of care cannot overlap: this child's previous period ended on {ended_on:%d/%m/%Y}, "
    "so a new one must start after it"
)
STARTED_BEFORE_PREVIOUS = "This child has a later period of care, from {started_on:%d/%m/%Y}"
NOT_LOOKED_AFTER = "This child is not looked after: record them becoming looked after first"
TEMPORARY_AT_START_OR_END = (
    "A period of care cannot start or end in a temporary placement (T0 to T4)"
)
PROVIDER_REQUIRED = "Select the placement provider"
PROVIDER_NOT_ALLOWED = "Leave the provider blank for this placement type"
PROVIDER_PARENT_ONLY_P1 = "Provider PR0 (parent) is only for placements with a parent (P1)"
URN_REQUIRED = "Enter the Ofsted URN of the placement (XXXXXXX for a regional adoption agency)"
YOUTH_JUSTICE_AGE = "Legal statuses J1 to J3 are only for children aged 10 or over"
BEFORE_EPISODE = "The date cannot be before the current episode started ({started_on:%d/%m/%Y})"
OUTSIDE_PERIOD = "The date must be within the period of care ({started_on:%d/%m/%Y} onwards)"
AFTER_PERIOD = "The date cannot be after the child ceased to be looked after ({ended_on:%d/%m/%Y})"
NOTHING_CHANGED = "Enter a new legal status or a new placement"
PLACE_CHANGE_REASON_REQUIRED = "Select the reason for the placement change"
X1_NOT_AN_END = (
    "X1 is not a reason for ceasing to be looked after: record a change of legal status or "
    "placement instead"
)
ADOPTION_NEEDS_ADOPTIVE_PLACEMENT = (
    "Adoption (E11, E12) needs the child's last placement to be an adoptive placement (A3 to A6) "
    "and the child to be under 18"
)
REASON_TOO_YOUNG = "Reason {code} is only for young people aged {age} or over"
PARTICIPATION_UNDER_4 = "The child is under 4: the participation code is PN0"
PARTICIPATION_NOT_UNDER_4 = "PN0 is only for children under 4 at the time of the review"
INTERVAL_OUT_OF_RANGE = (
    "Enter a number of days from 1 to {maximum}: the regulations allow at most {maximum} days "
    "between visits in this placement"
)
INITIAL_HEALTH_DONE = (
    "The initial health assessment was recorded on {done_on:%d/%m/%Y}: record a review health "
    "assessment"
)
MISSING_ENDS_BEFORE_START = "The return date cannot be before the child went missing"
MISSING_ALREADY_RETURNED = "The child's return from this episode is already recorded"
INTERVIEW_BEFORE_RETURN = "The return interview cannot be before the child returned"
UASC_CEASED_WITHOUT_STATUS = "Only a child with UASC status can have a date it ceased"
NOT_A_CARE_LEAVER = (
    "This young person is not owed leaving-care duties: they must have been looked after for "
    "13 weeks or more from the age of 14, some of it at 16 or over"
)
ALREADY_A_CARE_LEAVER = "This young person is already recorded as a care leaver"
ACTIVITY_AND_ACCOMMODATION_REQUIRED = (
    "Enter the activity and the accommodation of a young person in touch (0 if not known)"
)
NO_FIXED_ABODE_OR_CUSTODY_SUITABLE = "No fixed abode and custody are never suitable (S2, X2)"
FORMER_CARER_AT_17 = "Living with former foster carers (Z) is not an option at 17"
STAYING_PUT_ENDS_BEFORE_START = "Staying put cannot end before it started"
ADOPTION_PLAN_OPEN = "This child already has an adoption plan (decided {decided_on:%d/%m/%Y})"
ADOPTION_STEP_ORDER = "The {step} date cannot be before the {previous} ({on:%d/%m/%Y})"
ADOPTION_WRONG_STATUS = "The adoption plan is {status}: {action} is not possible now"
ADOPTERS_REQUIRED = "Enter the number of adopters, their sex and their legal status"
ADOPTERS_MISMATCH = "The adopters' sex ({sex}) does not fit {number} adopter(s)"
PREVIOUS_PERMANENCE_DATE = "Enter the date of the previous permanence order (or choose None)"
MOTHERHOOD_GIRLS_ONLY = "Motherhood is recorded for girls and young women only"
ADOPTER_STEP_ORDER = "The {step} cannot be before the {previous} ({on:%d/%m/%Y})"
ADOPTER_REFERENCE_REQUIRED = "Enter the family ID"
ADOPTER_REFERENCE_TAKEN = "Family ID {reference} is already used by other adopters"
ADOPTERS_ONE_OR_TWO = "Record one adopter or two"
ADOPTER_ENQUIRY_REQUIRED = "Enter the date of the initial enquiry"
ADOPTERS_NOT_APPROVED = "The adopters were not approved by the date of the match"
ADOPTERS_LEFT = "The adopters left the process on {on:%d/%m/%Y}"

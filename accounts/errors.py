"""Domain errors for access and restricted records; messages are constants tests assert on."""


class AccessError(Exception):
    """Raised when a user may not make an access change."""


RESTRICT_NOT_ALLOWED = (
    "Only a team manager, head of service or administrator can restrict a record."
)
RESTRICT_CANNOT_SEE = "You cannot restrict a record you cannot see."
RESTRICT_NEEDS_REVIEW_DATE = "Enter a review date in the future."
UNRESTRICT_NOT_ALLOWED = (
    "Only an administrator or someone on the access list can lift a restriction."
)
UNRESTRICT_NOT_RESTRICTED = "This record is not restricted."
UNRESTRICT_NEEDS_REASON = "Enter why the restriction is being lifted."

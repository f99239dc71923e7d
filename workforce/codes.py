"""Code lists of the DfE children's social work workforce census (CSWW 2022 schema)."""

from django.db import models


class LeavingReason(models.TextChoices):
    RESIGNED = "1", "Resigned"
    VOLUNTARY_REDUNDANCY = "2", "Voluntary redundancy"
    COMPULSORY_REDUNDANCY = "3", "Compulsory redundancy"
    DISMISSED = "4", "Dismissed"
    RETIRED = "5", "Retired"
    DIED = "6", "Deceased"
    MOVED_ROLE = "7", "Moved to a role in the authority outside children and families work"
    OTHER = "8", "Other"
    NOT_KNOWN = "9", "Not known"


class AbsenceKind(models.TextChoices):
    SICKNESS = "SIC", "Sickness"
    MATERNITY = "MAT", "Maternity, paternity or adoption leave"
    TRAINING = "TRN", "Training"
    PUBLIC_DUTIES = "PUB", "Public duties"
    OTHER_PAID = "OTH", "Other paid authorised absence"
    UNPAID = "UNP", "Unpaid authorised absence"
    UNAUTHORISED = "UNA", "Unpaid unauthorised absence"


class Grade(models.TextChoices):
    """Ofsted's four-point scale, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)

# The audit tool (version 1): one grade per question; themes group questions for the
# results-by-theme table. Drawn from seeds 000 and 002 (child seen, child's views,
# chronology, assessment informs the plan, reflective supervision, management oversight).
AUDIT_TOOL_VERSION = 1
AUDIT_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("child_seen", "Voice of the child", "The child was seen, and seen alone where appropriate"),
    ("child_views", "Voice of the child", "The child's wishes and feelings are recorded"),
    ("chronology", "Recording", "An up-to-date chronology is on the file"),
    ("assessment_plan", "Assessment and planning", "The assessment informed the plan"),
    ("plan_smart", "Assessment and planning", "The plan is specific, with timescales"),
    ("supervision", "Management oversight", "Supervision is reflective and recorded"),
    ("oversight", "Management oversight", "Managers' decisions are recorded with reasons"),
)

from casework.models.allocation import Allocation, AllocationReason
from casework.models.assessment import Assessment, AssessmentOutcome
from casework.models.base import CaseRecord, Deadline
from casework.models.calendar import WorkingDay
from casework.models.child import Child, Household
from casework.models.form_token import UsedFormToken
from casework.models.generated import GeneratedHistory
from casework.models.notes import CaseNote, CaseNoteKind
from casework.models.organisation import (
    Authority,
    ChildPopulation,
    ClosureDay,
    Employment,
    ServiceArea,
    Team,
    Worker,
    WorkerRole,
)
from casework.models.protection import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    ConferenceOutcome,
    CoreGroup,
    S47Outcome,
    Section47Enquiry,
    StrategyDiscussion,
)
from casework.models.support import CINPlan, Visit, VisitKind

__all__ = [
    "UsedFormToken",
    "Allocation",
    "AllocationReason",
    "Assessment",
    "AssessmentOutcome",
    "Authority",
    "CaseNote",
    "CaseNoteKind",
    "CaseRecord",
    "CINPlan",
    "Child",
    "ChildPopulation",
    "ChildProtectionConference",
    "ChildProtectionPlan",
    "ClosureDay",
    "ConferenceKind",
    "ConferenceOutcome",
    "GeneratedHistory",
    "CoreGroup",
    "Deadline",
    "Employment",
    "Household",
    "S47Outcome",
    "Section47Enquiry",
    "ServiceArea",
    "StrategyDiscussion",
    "Team",
    "Visit",
    "VisitKind",
    "Worker",
    "WorkerRole",
    "WorkingDay",
]

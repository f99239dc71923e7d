"""The next steps a page offers on a record: what its state machine allows from its status,
and what the user's role may do (the permission table), never a status re-decided in a
template.

Each transition is named once here with the step page that makes it and the service
operation that page calls; the service still checks both when the form is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from casework.models import Assessment, ChildProtectionConference, Section47Enquiry
from casework.services.permissions import can
from casework.transitions import available


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str


@dataclass(frozen=True)
class _Offer:
    transition: str  # offered while the record's status allows this transition
    operation: str  # ... and the user's role may perform this operation
    label: str
    url_name: str
    step: str = ""

    def url(self, record) -> str:
        args = [record.pk, self.step] if self.step else [record.pk]
        return reverse(self.url_name, args=args)


_SEEN = "record child seen"
OFFERS: dict[type, list[_Offer]] = {
    Assessment: [
        # The child seen date is recorded alongside the worker's own steps.
        _Offer("complete", "assessment_record_child_seen", _SEEN, "assessment_step", "seen"),
        _Offer("complete", "assessment_complete", "complete", "assessment_step", "complete"),
        _Offer("submit", "assessment_record_child_seen", _SEEN, "assessment_step", "seen"),
        _Offer(
            "submit", "assessment_submit", "submit for authorisation", "assessment_step", "submit"
        ),
        _Offer(
            "authorise",
            "assessment_authorise",
            "read and authorise or return",
            "assessment_decision",
        ),  # fmt: skip
    ],
    Section47Enquiry: [
        _Offer(
            "submit_outcome",
            "s47_submit_outcome",
            "record the section 47 outcome",
            "s47_step",
            "outcome",
        ),  # fmt: skip
        _Offer(
            "complete",
            "s47_complete",
            "read and sign off the section 47 outcome",
            "s47_decision",
        ),  # fmt: skip
    ],
    ChildProtectionConference: [
        _Offer("hold", "icpc_record", "record the initial conference", "conference_step", "record"),
    ],
}
# An initial conference with no transition left (held) leads to the plan it decided.
_PLAN_FROM_HELD_ICPC = _Offer(
    "", "cp_plan_start", "start the child protection plan", "conference_step", "plan"
)


def next_steps(record, user) -> list[NextStep]:
    """The step links for ``record`` that its status allows and ``user``'s role may take."""
    allowed = available(record)
    offers = [o for o in OFFERS[type(record)] if o.transition in allowed]
    if isinstance(record, ChildProtectionConference) and not allowed:
        offers.append(_PLAN_FROM_HELD_ICPC)
    return [NextStep(o.label, o.url(record)) for o in offers if can(user, o.operation)]

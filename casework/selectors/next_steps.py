"""The next steps a page offers on a record: what its state machine allows from its status,
and what the user's role may do (the permission table), never a status re-decided in a
template.

Each transition is named once here with the step page that makes it and the service
operation that page calls; the service still checks both when the form is sent.
"""

from __future__ import annotations

from collections.abc import Callable
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
    on_child: bool = False  # the step page is addressed by the record's child, not the record
    when: Callable[[object], bool] | None = None  # a further fact the service checks

    def url(self, record) -> str:
        first = record.child_id if self.on_child else record.pk
        return reverse(self.url_name, args=[first, self.step] if self.step else [first])

    def offered(self, record, allowed: set[str]) -> bool:
        return self.transition in allowed and (self.when is None or self.when(record))


Offer = _Offer  # for the apps above the pathway that register their records' steps


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


def register_offers(model: type, offers: list[_Offer]) -> None:
    """A higher app (care) adds its records' steps; called from its AppConfig.ready."""
    OFFERS[model] = offers


def next_steps(record, user) -> list[NextStep]:
    """The step links for ``record`` that its status allows and ``user``'s role may take."""
    allowed = available(record)
    offers = [o for o in OFFERS[type(record)] if o.offered(record, allowed)]
    if isinstance(record, ChildProtectionConference) and not allowed:
        offers.append(_PLAN_FROM_HELD_ICPC)
    return [NextStep(o.label, o.url(record)) for o in offers if can(user, o.operation)]

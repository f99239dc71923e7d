"""The front door's write path: contacts, screening, referrals and episode closure.

Operations (domain.md section 1):
- ``contact_record``: a contact about one or more children (sibling groups).
- ``contact_screen``: the screening decision for every child on the contact, due within
  1 working day of receipt; REFERRAL opens a referral for that child.
- ``referral_open``: a referral for one child, starting a child in need episode.
- ``referral_close``: the episode closes with a date and an RC1-RC9 reason.
- ``referral_reopen``: a closure undone (e.g. reopened the same day).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casework import errors, rules, timescales
from casework.codes import ASSESSMENT_FACTORS, ClosureReason, ReferralSource
from casework.errors import DomainError
from casework.models import Assessment, Child, ConferenceKind, Section47Enquiry
from casework.predicates import open_allocations, open_episodes
from casework.services.children import upn_reason_for_further_action
from casework.services.common import (
    ExpectedVersion,
    actor,
    check_transition,
    lock,
    lock_at_version,
    require_reason,
    save,
)
from casework.services.permissions import require
from casework.signals import contact_screened
from referrals.models import Contact, ContactChild, Referral, ScreeningDecision

# Working Together 2023: the assessment is authorised within 45 working days of referral.


@transaction.atomic
def contact_record(
    *,
    by,
    received_at: datetime,
    source: str,
    reason: str,
    children: Iterable[Child],
    reason_codes: Iterable[str] = (),
) -> Contact:
    """Record a contact; screening is due under the authority's screening standard.

    ``reason_codes``: census factor codes for why it came in (optional)."""
    require(by, "contact_record")
    children = list(dict.fromkeys(children))
    reason_codes = list(dict.fromkeys(reason_codes))
    decide_contact_record(
        received_at=received_at,
        source=source,
        reason=reason,
        children=children,
        reason_codes=reason_codes,
    )
    contact = Contact(
        received_at=received_at,
        source=source,
        reason=require_reason(reason),
        reason_codes=reason_codes,
        recorded_by=by,
        screening_due_on=timescales.screening_due_on(received_at, timescales.screening_standard()),
    )
    save(contact, by=by, why=f"Contact recorded by {actor(by)}")
    ContactChild.objects.bulk_create(ContactChild(contact=contact, child=c) for c in children)
    return contact


def decide_contact_record(
    *,
    received_at: datetime,
    source: str,
    reason: str,
    children: Collection,
    reason_codes: Collection[str] = (),
) -> str:
    """Recording a contact: about at least one child, from a census source, with a reason,
    not received in the future, its reason codes census factors. Reads nothing, so the
    generator asks it for every contact it writes."""
    if not children:
        raise DomainError(errors.CONTACT_NO_CHILDREN, field="children")
    if source not in ReferralSource.values:
        raise DomainError(errors.CHILD_BAD_CODE.format(value=source, label="source"), "source")
    rules.not_in_future(timezone.localdate(received_at), field="received_at")
    unknown = [c for c in reason_codes if c not in ASSESSMENT_FACTORS]
    if unknown:
        raise DomainError(
            errors.ASSESSMENT_FACTOR_UNKNOWN.format(codes=", ".join(unknown)), "reason_codes"
        )
    require_reason(reason)
    return Contact.Status.AWAITING_DECISION


def decide_screen(
    contact: Contact,
    *,
    lines: list[ContactChild],
    decisions: Mapping[int, str],
    decided_at: datetime,
    open_cases: Collection[int],
) -> str:
    """Screening: a decision for every child on the contact, not before it came in;
    "existing case" only for a child in ``open_cases`` (those with an open episode: the
    service reads them, the generator knows them)."""
    check_transition(contact, contact.decide, action="screen", thing="a contact")
    rules.not_in_future(timezone.localdate(decided_at), field="decided_at")
    if decided_at < contact.received_at:
        raise DomainError(errors.CONTACT_DECIDED_BEFORE_RECEIVED, field="decided_at")
    _check_decisions(lines, decisions, open_cases)
    return Contact.Status.DECIDED


@transaction.atomic
def contact_screen(
    *,
    contact: Contact,
    by,
    decisions: Mapping[int, str],
    decided_at: datetime | None = None,
    notes: str = "",
    expected_version: ExpectedVersion = None,
) -> Contact:
    """Record the screening decision for every child on the contact (keyed by child id).

    REFERRAL opens a referral dated the decision day; EXISTING_CASE needs an open episode.
    """
    require(by, "contact_screen")
    contact = lock_at_version(contact, expected_version)
    decided_at = decided_at or timezone.now()
    lines = list(contact.children.select_related("child").select_for_update())
    existing = [c for c, d in decisions.items() if d == ScreeningDecision.EXISTING_CASE]
    open_cases = set(_open_episodes(existing).values_list("child_id", flat=True))
    decide_screen(
        contact, lines=lines, decisions=decisions, decided_at=decided_at, open_cases=open_cases
    )
    for line in lines:
        line.decision = decisions[line.child_id]
        line.save(update_fields=["decision"])
        if line.decision == ScreeningDecision.REFERRAL:
            referral_open(
                child=line.child,
                by=by,
                referred_on=timezone.localdate(decided_at),
                source=contact.source,
                contact_child=line,
            )
    contact.decide()
    contact.decided_at, contact.decided_by, contact.decision_notes = decided_at, by, notes
    save(contact, by=by, why=f"Screened by {actor(by)}")
    contact_screened.send(sender=Contact, contact=contact, by=by)
    return contact


def _check_decisions(
    lines: list[ContactChild], decisions: Mapping[int, str], open_cases: Collection[int]
) -> None:
    on_contact = {line.child_id: line.child for line in lines}
    for child_id, value in decisions.items():
        if child_id not in on_contact:
            name = Child.objects.filter(pk=child_id).first() or child_id
            raise DomainError(errors.CONTACT_DECISION_UNKNOWN_CHILD.format(name=name), "decisions")
        if value not in ScreeningDecision.values:
            raise DomainError(errors.CONTACT_DECISION_CODE.format(value=value), "decisions")
    missing = [str(c) for cid, c in on_contact.items() if not decisions.get(cid)]
    if missing:
        raise DomainError(
            errors.CONTACT_DECISION_MISSING.format(names=", ".join(missing)), field="decisions"
        )
    for child_id, value in decisions.items():
        if value == ScreeningDecision.EXISTING_CASE and child_id not in open_cases:
            raise DomainError(
                errors.CONTACT_EXISTING_CASE_NOT_OPEN.format(name=on_contact[child_id]),
                field="decisions",
            )


def _open_episodes(child_ids: Iterable[int]):
    return open_episodes().filter(child_id__in=child_ids)


def _open_episode(child_id: int) -> Referral | None:
    return _open_episodes([child_id]).first()


@dataclass(frozen=True)
class ChildEpisodes:
    """A child's episodes as a new one is judged: the open one's referral date (if any)
    and the latest closure. ``child_episodes`` reads them; the generator knows them."""

    open_since: date | None = None
    last_closed: date | None = None


def child_episodes(child: Child) -> ChildEpisodes:
    open_one = open_episodes().filter(child=child).first()
    episodes = Referral.objects.current().filter(child=child)
    last_closed = episodes.aggregate(last=Max("closed_on"))["last"]
    return ChildEpisodes(open_one.referred_on if open_one else None, last_closed)


def decide_referral_open(*, referred_on: date, source: str, episodes: ChildEpisodes) -> str:
    """Opening an episode: a census source, not in the future, no episode open for the
    child and none overlapping (census): after the child's latest closure."""
    rules.not_in_future(referred_on, field="referred_on")
    if source not in ReferralSource.values:
        raise DomainError(errors.CHILD_BAD_CODE.format(value=source, label="source"), "source")
    if episodes.open_since is not None:
        raise DomainError(
            errors.EPISODE_ALREADY_OPEN.format(referred_on=episodes.open_since), field="child"
        )
    last_closed = episodes.last_closed
    if last_closed is not None and referred_on <= last_closed:
        raise DomainError(errors.EPISODE_OVERLAPS.format(closed_on=last_closed), "referred_on")
    return Referral.Status.OPEN


@transaction.atomic
def referral_open(
    *,
    child: Child,
    by,
    referred_on: date,
    source: str,
    contact_child: ContactChild | None = None,
    nfa: bool = False,
) -> Referral:
    """Open a CIN episode. One open episode per child and no overlapping episodes (census).

    The assessment is due 45 working days after the referral date (Working Together 2023).
    A referral with further action moves a UPN reason of UN7 (every referral NFA) to the
    reason for a UPN being sought (``upn_reason_for_further_action``).
    """
    require(by, "referral_open")
    # Lock the child so two referrals for the same child cannot both pass the checks.
    child = lock(child)
    decide_referral_open(referred_on=referred_on, source=source, episodes=child_episodes(child))
    if not nfa:
        child = upn_reason_for_further_action(child, by=by, referred_on=referred_on)
    referral = Referral(
        child=child,
        contact_child=contact_child,
        referred_on=referred_on,
        source=source,
        nfa=nfa,
        recorded_by=by,
        assessment_due_on=(None if nfa else timescales.assessment_due_on(referred_on)),
    )
    return save(referral, by=by, why=f"Referral opened by {actor(by)}")


# A condition's value meaning "set to anything" (a date recorded), as opposed to one value.
SET = object()


@dataclass(frozen=True)
class Held:
    """The records an episode holds through ``relation`` that meet ``conditions`` (field,
    value or ``SET``): read by a query from the database (``referrals.services``) and from
    dict rows (the generator), so that the rule is declared once for both."""

    relation: str
    conditions: tuple[tuple[str, object], ...] = ()

    @property
    def model(self):
        return Referral._meta.get_field(self.relation).related_model

    def lookups(self) -> dict[str, object]:
        return {
            (f"{field}__isnull" if value is SET else field): (False if value is SET else value)
            for field, value in self.conditions
        }

    def meets(self, row: Mapping) -> bool:
        return all(
            (row[field] is not None) if value is SET else row[field] == value
            for field, value in self.conditions
        )


# What an episode holds that must be finished before it closes (census), in the order
# ``EpisodeWork.unfinished`` counts them: what finished means, and how the refusal says it.
UNFINISHED = (
    (Held("assessments", (("status", Assessment.Status.AUTHORISED),)),
     "assessment", "not authorised"),
    (Held("s47s", (("status", Section47Enquiry.Status.COMPLETED),)),
     "section 47 enquiry", "not completed"),
    (Held("cp_plans", (("ended_on", SET),)), "child protection plan", "not ended"),
    (Held("cin_plans", (("ended_on", SET),)), "child in need plan", "not ended"),
)  # fmt: skip
# What the census counts as activity after the assessment (rule 2990).
S47_ACTIVITY, ICPC_ACTIVITY = "a section 47 enquiry", "an initial conference"
CIN_PLAN_ACTIVITY, CP_PLAN_ACTIVITY = "a CIN plan", "a CP plan"
CENSUS_ACTIVITY = (
    (Held("s47s"), S47_ACTIVITY),
    (Held("conferences", (("kind", ConferenceKind.INITIAL), ("held_on", SET))), ICPC_ACTIVITY),
    (Held("cin_plans"), CIN_PLAN_ACTIVITY),
    (Held("cp_plans"), CP_PLAN_ACTIVITY),
)
# The dated events an episode's closure may not come before: each by the episode's
# relation and the date field.
EVENT_DATES = (
    ("assessments", "authorised_on"), ("strategy_discussions", "held_on"),
    ("s47s", "ended_on"), ("conferences", "held_on"), ("cp_plans", "ended_on"),
    ("cin_plans", "ended_on"), ("visits", "visited_on"), ("allocations", "started_on"),
)  # fmt: skip


@dataclass(frozen=True)
class EpisodeWork:
    """What an episode holds, as its closure is judged: how many records of each kind in
    ``UNFINISHED`` are not finished, the census activity after its assessment, and the date
    of its last event. ``episode_work`` reads it; the generator knows it from its rows
    (``episode_work_of_rows``)."""

    unfinished: tuple[int, int, int, int] = (0, 0, 0, 0)
    activity: tuple[str, ...] = ()
    last_on: date | None = None


def episode_work(referral: Referral) -> EpisodeWork:
    return EpisodeWork(_unfinished(referral), _census_activity(referral), _last_event_on(referral))


def episode_work_of_rows(rows: Mapping[type, list[Mapping]]) -> EpisodeWork:
    """The episode's work as ``episode_work`` reads it, from its rows by model (none
    entered in error): the generator's records before they are saved."""
    a, b, c, d = (
        sum(not held.meets(row) for row in rows.get(held.model, ())) for held, _, _ in UNFINISHED
    )
    activity = tuple(
        label for held, label in CENSUS_ACTIVITY if any(map(held.meets, rows.get(held.model, ())))
    )
    dates = [
        row[field]
        for relation, field in EVENT_DATES
        for row in rows.get(Referral._meta.get_field(relation).related_model, ())
        if row[field] is not None
    ]
    return EpisodeWork((a, b, c, d), activity, max(dates, default=None))


def decide_close(referral: Referral, *, closed_on: date, reason: str, work: EpisodeWork) -> str:
    """Closing an episode (domain.md section 2): a census reason that fits what happened,
    within the episode, not before its last event, with nothing outstanding."""
    check_transition(referral, referral.close, action="close", thing="an episode")
    rules.closure_date_and_reason(closed_on, reason)
    if reason not in ClosureReason.values:
        raise DomainError(
            errors.CHILD_BAD_CODE.format(value=reason, label="closure reason"), "closure_reason"
        )
    rules.within_episode(closed_on, referral, field="closed_on")
    outstanding = _outstanding(work.unfinished)
    if outstanding:
        raise DomainError(
            errors.EPISODE_CLOSURE_OUTSTANDING.format(outstanding="; ".join(outstanding)),
            field="closed_on",
        )
    rules.closure_fits_activity(reason, work.activity)
    rules.closure_fits_death(reason, closed_on, referral.child.date_of_death)
    if work.last_on and closed_on < work.last_on:
        raise DomainError(
            errors.EPISODE_CLOSURE_BEFORE_EVENT.format(last_on=work.last_on), "closed_on"
        )
    return Referral.Status.CLOSED


@transaction.atomic
def referral_close(
    *,
    referral: Referral,
    by,
    closed_on: date,
    reason: str,
    expected_version: ExpectedVersion = None,
) -> Referral:
    """Close the CIN episode with a date and an RC1-RC9 reason (domain.md section 2).

    Only when every assessment is authorised, every s47 completed and every plan ended
    (census rule); the current allocation ends on the closure date.
    """
    require(by, "referral_close")
    referral = lock_at_version(referral, expected_version)
    decide_close(referral, closed_on=closed_on, reason=reason, work=episode_work(referral))
    for allocation in open_allocations().filter(referral=referral):
        allocation.ended_on, allocation.end_reason = closed_on, "Episode closed"
        save(allocation, by=by, why=f"Allocation ended: episode closed by {actor(by)}")
    referral.close()
    referral.closed_on, referral.closure_reason, referral.closed_by = closed_on, reason, by
    return save(referral, by=by, why=f"Episode closed ({reason}) by {actor(by)}")


def _unfinished(referral: Referral) -> tuple[int, int, int, int]:
    a, b, c, d = (
        getattr(referral, held.relation).current().exclude(**held.lookups()).count()
        for held, _, _ in UNFINISHED
    )
    return a, b, c, d


def _outstanding(unfinished: tuple[int, ...]) -> list[str]:
    found = []
    for count, (_, label, state) in zip(unfinished, UNFINISHED, strict=True):
        if count:
            noun = label if count == 1 else _plural(label)
            found.append(f"{count} {noun} {state}")
    return found


def _plural(label: str) -> str:
    return label.replace("enquiry", "enquiries") if "enquiry" in label else label + "s"


def _census_activity(referral: Referral) -> tuple[str, ...]:
    """What the census counts as activity after the assessment (rule 2990)."""
    return tuple(
        label
        for held, label in CENSUS_ACTIVITY
        if getattr(referral, held.relation).current().filter(**held.lookups()).exists()
    )


def _last_event_on(referral: Referral) -> date | None:
    dates = [
        getattr(referral, relation).current().aggregate(d=Max(field))["d"]
        for relation, field in EVENT_DATES
    ]
    found = [d for d in dates if d is not None]
    return max(found) if found else None


def decide_reopen(referral: Referral, *, reason: str) -> str:
    """Reopening: a closed episode, with a reason, when no later episode exists."""
    check_transition(referral, referral.reopen, action="reopen", thing="an episode")
    require_reason(reason)
    later = Referral.objects.current().filter(
        child_id=referral.child_id, referred_on__gt=referral.referred_on
    )
    if later.exists() or _open_episode(referral.child_id):
        raise DomainError(errors.EPISODE_REOPEN_LATER_EPISODE, field="status")
    return Referral.Status.OPEN


@transaction.atomic
def referral_reopen(
    *, referral: Referral, by, reason: str, expected_version: ExpectedVersion = None
) -> Referral:
    """Undo a closure (e.g. reopened the same day) when no later episode exists."""
    require(by, "referral_reopen")
    referral = lock_at_version(referral, expected_version)
    decide_reopen(referral, reason=reason)
    reason = require_reason(reason)
    referral.reopen()
    referral.closed_on, referral.closure_reason, referral.closed_by = None, "", None
    return save(referral, by=by, why=f"Episode reopened by {actor(by)}: {reason}")

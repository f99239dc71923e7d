"""Permanence through adoption: decision, placement order, match, placement, order or reversal.

The steps follow the Adoption Agencies Regs 2005 and the SSDA903 tables: the decision that
the child should be placed for adoption (PlacedAdoption DATE_PLACED, AD1 DATE_INT), the
placement order, the match with adopters (AD1 DATE_MATCH), the move to the adopters (an
adoptive placement A3-A6, a new episode through ``care_change``), and either the adoption
order (the period ends E11/E12 through ``care_end``) or the decision's reversal (RD1-RD4).
Each date must follow the one before; transitions are the model's.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from care import codes, errors
from care.adopters import ad1_adopters
from care.codes import LegalStatus, PreviousPermanence, ReasonCeased
from care.models import AdoptionPlan, CarePeriod
from care.services.changes import care_change
from care.services.ending import care_end
from care.services.placements import PlacementDetails
from casework import rules
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, actor, check_transition, lock_at_version, save
from casework.services.permissions import require

# (number of adopters, sexes that fit it)
ADOPTER_SEXES = {1: ("M1", "F1"), 2: ("MM", "FF", "MF")}


def _after(day: date, *, step: str, previous: str, since: date, field: str):
    rules.not_in_future(day, field=field)
    if day < since:
        raise DomainError(
            errors.ADOPTION_STEP_ORDER.format(step=step, previous=previous, on=since), field
        )


@transaction.atomic
def adoption_decide(
    *, period: CarePeriod, by, decided_on: date, expected_version: ExpectedVersion = None
) -> AdoptionPlan:
    """The agency decision maker decided that the child should be placed for adoption."""
    require(by, "adoption_record")
    period = lock_at_version(period, expected_version)
    if period.status != CarePeriod.Status.LOOKED_AFTER:
        raise DomainError(errors.NOT_LOOKED_AFTER, field="period")
    rules.not_in_future(decided_on, field="decided_on")
    if decided_on < period.started_on:
        raise DomainError(errors.OUTSIDE_PERIOD.format(started_on=period.started_on),
                          "decided_on")  # fmt: skip
    open_plan = period.adoption_plans.current().exclude(
        status__in=[AdoptionPlan.Status.ADOPTED, AdoptionPlan.Status.REVERSED]
    )
    if open_plan.exists():
        raise DomainError(
            errors.ADOPTION_PLAN_OPEN.format(decided_on=open_plan.first().decided_on), "period"
        )
    plan = AdoptionPlan(child_id=period.child_id, period=period, decided_on=decided_on)
    return save(plan, by=by, why=f"Decision to place for adoption recorded by {actor(by)}")


@transaction.atomic
def adoption_placement_order(
    *, plan: AdoptionPlan, by, ordered_on: date, expected_version: ExpectedVersion = None
) -> AdoptionPlan:
    """The court made a placement order (the legal status becomes E1 from that day)."""
    require(by, "adoption_record")
    plan = lock_at_version(plan, expected_version)
    if plan.status not in (AdoptionPlan.Status.DECIDED, AdoptionPlan.Status.MATCHED):
        status = plan.get_status_display().lower()
        message = errors.ADOPTION_WRONG_STATUS.format(status=status, action="a placement order")
        raise DomainError(message, field="status")
    _after(ordered_on, step="placement order", previous="decision",
           since=plan.decided_on, field="ordered_on")  # fmt: skip
    plan.placement_order_on = ordered_on
    save(plan, by=by, why=f"Placement order recorded by {actor(by)}")
    period = plan.period
    episode = period.current_episode()
    if episode is not None and episode.legal_status != LegalStatus.E1 and period.ended_on is None:
        care_change(period=period, by=by, changed_on=ordered_on, legal_status=LegalStatus.E1)
    return plan


def decide_match(
    plan: AdoptionPlan,
    *,
    matched_on: date,
    adopters_number: int | None,
    adopters_sex: str,
    adopters_legal_status: str,
) -> str:
    """The match (SSDA903 AD1): after the decision, with adopters whose number, sex and
    legal status agree."""
    check_transition(plan, plan.match, action="match", thing="adoption plan")
    _after(matched_on, step="match", previous="decision", since=plan.decided_on,
           field="matched_on")  # fmt: skip
    if not (adopters_number and adopters_sex and adopters_legal_status):
        raise DomainError(errors.ADOPTERS_REQUIRED, field="adopters_number")
    if adopters_sex not in ADOPTER_SEXES.get(adopters_number, ()):
        raise DomainError(
            errors.ADOPTERS_MISMATCH.format(sex=adopters_sex, number=adopters_number),
            field="adopters_sex",
        )
    if adopters_legal_status not in codes.AdopterLegalStatus.values:
        raise DomainError(errors.BAD_CODE.format(label="legal status of the adopters"),
                          field="adopters_legal_status")  # fmt: skip
    if (adopters_number == 1) != (adopters_legal_status == codes.AdopterLegalStatus.L0):
        raise DomainError(errors.BAD_CODE.format(label="legal status of the adopters"),
                          field="adopters_legal_status")  # fmt: skip
    return AdoptionPlan.Status.MATCHED


def decide_place(plan: AdoptionPlan, *, placed_on: date, place: str) -> str:
    check_transition(plan, plan.place, action="placement", thing="adoption plan")
    _after(placed_on, step="placement", previous="match", since=plan.matched_on,
           field="placed_on")  # fmt: skip
    if place not in codes.ADOPTION_PLACEMENTS:
        raise DomainError(errors.BAD_CODE.format(label="adoptive placement (A3 to A6)"),
                          field="place")  # fmt: skip
    return AdoptionPlan.Status.PLACED


def decide_adopt(plan: AdoptionPlan, *, ordered_on: date) -> str:
    check_transition(plan, plan.adopt, action="adoption order", thing="adoption plan")
    _after(ordered_on, step="adoption order", previous="placement",
           since=plan.placed_on, field="ordered_on")  # fmt: skip
    return AdoptionPlan.Status.ADOPTED


def decide_reverse(plan: AdoptionPlan, *, reversed_on: date, reason: str) -> str:
    check_transition(plan, plan.reverse, action="reversal", thing="adoption plan")
    _after(reversed_on, step="reversal", previous="decision", since=plan.decided_on,
           field="reversed_on")  # fmt: skip
    if reason not in codes.AdoptionReversal.values:
        raise DomainError(errors.BAD_CODE.format(label="reason for the reversal"), "reason")
    return AdoptionPlan.Status.REVERSED


@transaction.atomic
def adoption_match(
    *,
    plan: AdoptionPlan,
    by,
    matched_on: date,
    adopters_number: int | None = None,
    adopters_sex: str = "",
    adopters_legal_status: str = "",
    with_foster_carer: bool = False,
    household=None,
    expected_version: ExpectedVersion = None,
) -> AdoptionPlan:
    """The match; with ``household`` (approved adopters recorded as people, care.adopters)
    the AD1 adopters' number, sex and legal status are theirs."""
    require(by, "adoption_record")
    plan = lock_at_version(plan, expected_version)
    if household is not None:
        adopters_number, adopters_sex, adopters_legal_status = ad1_adopters(
            household, matched_on=matched_on
        )
    decide_match(plan, matched_on=matched_on, adopters_number=adopters_number,
                 adopters_sex=adopters_sex,
                 adopters_legal_status=adopters_legal_status)  # fmt: skip
    plan.match()
    plan.matched_on, plan.with_foster_carer = matched_on, with_foster_carer
    plan.adopters_number, plan.adopters_sex = adopters_number, adopters_sex
    plan.adopters_legal_status = adopters_legal_status
    plan.adopters = household
    return save(plan, by=by, why=f"Match with adopters recorded by {actor(by)}")


@transaction.atomic
def adoption_place(
    *,
    plan: AdoptionPlan,
    by,
    placed_on: date,
    placement: PlacementDetails,
    expected_version: ExpectedVersion = None,
) -> AdoptionPlan:
    """The child moves in with the adopters: an adoptive placement (A3-A6), a new episode."""
    require(by, "adoption_record")
    plan = lock_at_version(plan, expected_version)
    decide_place(plan, placed_on=placed_on, place=placement.place)
    care_change(period=plan.period, by=by, changed_on=placed_on, placement=placement,
                same_carer=plan.with_foster_carer, reason_place_change="CARPL")  # fmt: skip
    plan.place()
    plan.placed_on = placed_on
    return save(plan, by=by, why=f"Placed for adoption, recorded by {actor(by)}")


@transaction.atomic
def adoption_order(
    *,
    plan: AdoptionPlan,
    by,
    ordered_on: date,
    consent_dispensed=False,
    expected_version: ExpectedVersion = None,
):
    """The adoption order: the child ceases to be looked after (E11, or E12 without consent)."""
    require(by, "adoption_record")
    plan = lock_at_version(plan, expected_version)
    decide_adopt(plan, ordered_on=ordered_on)
    care_end(period=plan.period, by=by, ended_on=ordered_on,
             reason_ceased=ReasonCeased.E12 if consent_dispensed else ReasonCeased.E11)  # fmt: skip
    plan.adopt()
    plan.adopted_on = ordered_on
    return save(plan, by=by, why=f"Adoption order recorded by {actor(by)}")


@transaction.atomic
def adoption_reverse(
    *,
    plan: AdoptionPlan,
    by,
    reversed_on: date,
    reason: str,
    expected_version: ExpectedVersion = None,
) -> AdoptionPlan:
    """The decision that the child should be placed for adoption no longer stands."""
    require(by, "adoption_record")
    plan = lock_at_version(plan, expected_version)
    decide_reverse(plan, reversed_on=reversed_on, reason=reason)
    plan.reverse()
    plan.reversed_on, plan.reversal_reason = reversed_on, reason
    save(plan, by=by, why=f"Adoption decision reversed ({reason}) by {actor(by)}")
    _leave_placement_order(plan.period, by=by, on=reversed_on)
    return plan


def legal_status_after_reversal(episodes, on: date) -> str | None:
    """The decision a reversal on ``on`` makes about the legal status, without writing: a
    child under the placement order (E1) that day goes back to the legal status held before
    it (a care order, C2, when the period has none); None when there is nothing to change.
    ``episodes``: the period's episodes in date order (the generator asks this too)."""
    holding = [
        e for e in episodes if e.started_on <= on and (e.ended_on is None or on < e.ended_on)
    ]
    if not holding or holding[-1].legal_status != LegalStatus.E1:
        return None
    since = holding[-1].started_on
    before = [
        e.legal_status
        for e in episodes
        if e.legal_status != LegalStatus.E1 and e.started_on <= since
    ]
    return before[-1] if before else LegalStatus.C2


def _leave_placement_order(period: CarePeriod, *, by, on: date) -> None:
    """With the decision reversed the placement order no longer applies: the child goes back
    to the legal status ``legal_status_after_reversal`` decides, as a new episode from the
    reversal, so the history keeps both."""
    if period.ended_on is not None:
        return
    episode = period.current_episode()
    if episode is None or episode.legal_status != LegalStatus.E1:
        return
    if on < episode.started_on:
        raise DomainError(errors.BEFORE_EPISODE.format(started_on=episode.started_on),
                          field="reversed_on")  # fmt: skip
    legal = legal_status_after_reversal(period.episodes.current().order_by("started_on", "pk"), on)
    care_change(period=period, by=by, changed_on=on, legal_status=legal)


@transaction.atomic
def previous_permanence_set(
    *,
    period: CarePeriod,
    by,
    kind: str,
    la: str = "",
    made_on: date | None = None,
    expected_version: ExpectedVersion = None,
) -> CarePeriod:
    """What permanence order, if any, the child had before this period (PrevPerm)."""
    require(by, "previous_permanence_set")
    period = lock_at_version(period, expected_version)
    if kind not in codes.PreviousPermanence.values:
        raise DomainError(errors.BAD_CODE.format(label="previous permanence"), "kind")
    if kind in codes.DATED_PREVIOUS_PERMANENCE and made_on is None:
        raise DomainError(errors.PREVIOUS_PERMANENCE_DATE, field="made_on")
    rules.not_in_future(made_on, field="made_on")
    period.previous_permanence = kind
    period.previous_permanence_la = la.strip().upper() if kind != PreviousPermanence.Z1 else ""
    period.previous_permanence_on = made_on if kind != PreviousPermanence.Z1 else None
    return save(period, by=by, why=f"Previous permanence ({kind}) recorded by {actor(by)}")


@transaction.atomic
def motherhood_set(
    *,
    period: CarePeriod,
    by,
    is_mother: bool,
    first_child_born_on: date | None = None,
    expected_version: ExpectedVersion = None,
) -> CarePeriod:
    """Whether a looked-after girl is herself a mother (SSDA903 Header MOTHER, MC_DOB)."""
    require(by, "previous_permanence_set")
    period = lock_at_version(period, expected_version)
    if period.child.sex != "F":
        raise DomainError(errors.MOTHERHOOD_GIRLS_ONLY, field="is_mother")
    rules.not_in_future(first_child_born_on, field="first_child_born_on")
    period.is_mother = is_mother
    period.first_child_born_on = first_child_born_on if is_mother else None
    return save(period, by=by, why=f"Motherhood recorded by {actor(by)}")

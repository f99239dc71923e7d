"""Prospective adopters as people: the household's journey to approval and its matches.

The agency's process (Adoption Agencies Regs 2005 as amended in 2013): an initial enquiry,
stage 1 (pre-assessment, about two months), the application, stage 2 (assessment, about
four months) and approval; or leaving the process (withdrew, on hold, not approved). Each
date follows the one before. An approved household is matched with a child through
``care.adoption.adoption_match(..., household=...)``, which takes the AD1 adopters' number,
sex and legal status from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from care import codes, errors
from care.models import Adopter, AdopterHousehold
from casework import rules
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, actor, lock_at_version, save
from casework.services.permissions import require

# (field, label) in the order the steps happen.
STEPS = (
    ("enquiry_on", "initial enquiry"),
    ("stage1_started_on", "start of stage 1"),
    ("stage1_ended_on", "end of stage 1"),
    ("applied_on", "application"),
    ("stage2_started_on", "start of stage 2"),
    ("stage2_ended_on", "end of stage 2"),
    ("approved_on", "approval"),
)


@dataclass(frozen=True)
class AdopterDetails:
    sex: str
    ethnicity: str = ""
    disabled: bool | None = None


def _in_order(dates: dict[str, date | None]) -> None:
    previous = None
    for name, label in STEPS:
        day = dates.get(name)
        if day is None:
            continue
        rules.not_in_future(day, field=name)
        if previous is not None and day < previous[1]:
            raise DomainError(
                errors.ADOPTER_STEP_ORDER.format(step=label, previous=previous[0], on=previous[1]),
                field=name,
            )
        previous = (label, day)


@transaction.atomic
def adopter_household_record(
    *,
    by,
    reference: str,
    adopters: list[AdopterDetails],
    legal_status: str = codes.AdopterLegalStatus.L0,
    fostering_for_adoption=False,
    **dates,
) -> AdopterHousehold:
    """Record prospective adopters (one or two people, a couple with its legal status: AD1
    LS_ADOPTR) and the steps they have reached."""
    require(by, "adoption_record")
    reference = reference.strip().upper()
    if not reference:
        raise DomainError(errors.ADOPTER_REFERENCE_REQUIRED, field="reference")
    if AdopterHousehold.objects.filter(reference=reference).exists():
        raise DomainError(errors.ADOPTER_REFERENCE_TAKEN.format(reference=reference), "reference")
    if len(adopters) not in (1, 2):
        raise DomainError(errors.ADOPTERS_ONE_OR_TWO, field="adopters")
    if legal_status not in codes.AdopterLegalStatus.values or (
        (len(adopters) == 1) != (legal_status == codes.AdopterLegalStatus.L0)
    ):
        raise DomainError(errors.BAD_CODE.format(label="legal status of the adopters"),
                          field="legal_status")  # fmt: skip
    unknown = set(dates) - {name for name, _ in STEPS}
    if unknown or dates.get("enquiry_on") is None:
        raise DomainError(errors.ADOPTER_ENQUIRY_REQUIRED, field="enquiry_on")
    _in_order(dates)
    household = AdopterHousehold(
        reference=reference, legal_status=legal_status,
        fostering_for_adoption=fostering_for_adoption, **dates,
    )  # fmt: skip
    save(household, by=by, why=f"Prospective adopters recorded by {actor(by)}")
    for n, person in enumerate(adopters, start=1):
        if person.sex not in ("M", "F"):
            raise DomainError(errors.BAD_CODE.format(label="adopter's sex"), field="sex")
        adopter = Adopter(household=household, reference=f"{reference}-{n}", sex=person.sex,
                          ethnicity=person.ethnicity, disabled=person.disabled)  # fmt: skip
        save(adopter, by=by, why=f"Adopter recorded by {actor(by)}")
    return household


@transaction.atomic
def adopter_household_step(
    *,
    household: AdopterHousehold,
    by,
    step: str,
    on: date,
    expected_version: ExpectedVersion = None,
):
    """A later step reached (stage 1 ended, application, stage 2, approval...)."""
    require(by, "adoption_record")
    household = lock_at_version(household, expected_version)
    if step not in dict(STEPS):
        raise DomainError(errors.BAD_CODE.format(label="adopters' step"), field="step")
    if household.left_on is not None:
        raise DomainError(errors.ADOPTERS_LEFT.format(on=household.left_on), field=step)
    dates = {name: getattr(household, name) for name, _ in STEPS} | {step: on}
    _in_order(dates)
    setattr(household, step, on)
    return save(household, by=by, why=f"Adopters' {dict(STEPS)[step]} recorded by {actor(by)}")


@transaction.atomic
def adopter_household_leave(
    *,
    household: AdopterHousehold,
    by,
    left_on: date,
    reason: str,
    expected_version: ExpectedVersion = None,
):
    """The household left the agency's process (AD1 reason), on ``left_on``."""
    require(by, "adoption_record")
    household = lock_at_version(household, expected_version)
    rules.not_in_future(left_on, field="left_on")
    if reason not in codes.AdopterLeftReason.values:
        raise DomainError(errors.BAD_CODE.format(label="reason for leaving"), field="reason")
    if left_on < household.enquiry_on:
        message = errors.ADOPTER_STEP_ORDER.format(
            step="leaving", previous="initial enquiry", on=household.enquiry_on
        )
        raise DomainError(message, field="left_on")
    household.left_on, household.left_reason = left_on, reason
    return save(household, by=by, why=f"Adopters left the process ({reason}), {actor(by)}")


def ad1_adopters(household: AdopterHousehold, *, matched_on: date) -> tuple[int, str, str]:
    """(number, sex, legal status) for AD1 from an approved household, checked for the match."""
    if household.approved_on is None or household.approved_on > matched_on:
        raise DomainError(errors.ADOPTERS_NOT_APPROVED, field="household")
    if household.left_on is not None and household.left_on <= matched_on:
        raise DomainError(errors.ADOPTERS_LEFT.format(on=household.left_on), field="household")
    # M before F: a couple is MM, MF or FF, one adopter M1 or F1.
    sexes = sorted(household.adopters.current().values_list("sex", flat=True), reverse=True)
    if len(sexes) == 1:
        return 1, f"{sexes[0]}1", codes.AdopterLegalStatus.L0
    return 2, "".join(sexes), household.legal_status

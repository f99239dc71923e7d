"""Children: census characteristics validated at entry (domain.md section 2).

A child has a date of birth, or (unborn) an expected date of birth with sex U and UPN
unknown reason UN8; a UPN or the reason it is unknown, not both; census disability codes;
an NHS number with a valid modulus-11 check digit.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework import errors, rules
from casework.codes import Disability, Ethnicity, Sex, UPNUnknownReason
from casework.errors import DomainError
from casework.models import Child, Household
from casework.models.child import upn_validator
from casework.services.common import ExpectedVersion, actor, lock_at_version, save
from casework.services.permissions import require

# Which of a child's fields may be changed after it is added, in the order the API shows
# them (api.serializers.ChildOutput reads this list).
EDITABLE = (
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "ethnicity",
    "disabilities",
    "upn",
    "upn_unknown_reason",
    "nhs_number",
    "postcode",
    "household",
)


@transaction.atomic
def child_create(
    *,
    by,
    la_child_id: str,
    first_name: str,
    last_name: str,
    sex: str,
    date_of_birth: date | None = None,
    expected_date_of_birth: date | None = None,
    date_of_death: date | None = None,
    ethnicity: str = Ethnicity.NOBT,
    disabilities: list[str] | None = None,
    upn: str = "",
    upn_unknown_reason: str = "",
    nhs_number: str = "",
    postcode: str = "",
    household: Household | None = None,
) -> Child:
    require(by, "child_create")
    if Child.objects.filter(la_child_id=la_child_id).exists():
        raise DomainError(errors.CHILD_ID_TAKEN.format(la_child_id=la_child_id), "la_child_id")
    child = Child(
        la_child_id=la_child_id,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        sex=sex,
        date_of_birth=date_of_birth,
        expected_date_of_birth=expected_date_of_birth,
        date_of_death=date_of_death,
        ethnicity=ethnicity,
        disabilities=_default_disabilities(disabilities, date_of_birth),
        upn=upn.strip().upper(),
        upn_unknown_reason=upn_unknown_reason,
        nhs_number=nhs_number.replace(" ", ""),
        postcode=postcode.strip().upper(),
        household=household,
    )
    validate_child(child)
    return save(child, by=by, why=f"Child added by {actor(by)}")


@transaction.atomic
def child_add_new(*, by, **identity: Any) -> Child:
    """A child new to the authority (e.g. named on a contact): the LA child ID is given
    here, ``C`` and the record's number as the generator numbers them. Its UPN is rarely
    known at the front door: the census reason says why until it is entered (UN8 unborn,
    UN6 under 6, UN5 6 or over: the UPN is being sought from the schools' sources). Never
    UN7: in the census it means every referral ended NFA (rule 8772), which a child new
    to the authority has not yet shown."""
    if not identity.get("upn"):
        identity.setdefault("upn_unknown_reason", _upn_not_yet_known(identity))
    placeholder = f"NEW-{uuid.uuid4().hex[:15]}"
    child = child_create(by=by, la_child_id=placeholder, **identity)
    wanted = f"C{child.pk:08d}"
    if not Child.objects.filter(la_child_id=wanted).exists():
        child.la_child_id = wanted
        save(child, by=by, why="LA child ID assigned")
    return child


def _upn_not_yet_known(identity: dict) -> str:
    return upn_reason_while_sought(identity.get("date_of_birth"), timezone.localdate())


def upn_reason_while_sought(born: date | None, on: date) -> str:
    """The census reason a UPN is unknown while it is being sought, on ``on``: UN8 unborn,
    UN6 under 6, UN5 6 or over (the schools' sources are asked for it)."""
    if born is None:
        return UPNUnknownReason.UN8
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return UPNUnknownReason.UN6 if age < 6 else UPNUnknownReason.UN5


def upn_reason_for_further_action(child: Child, *, by, referred_on: date) -> Child:
    """A referral with further action opens for a child whose UPN reason is UN7: UN7 means
    every referral ended NFA (rule 8772), which is no longer true, so the reason moves to
    the one for a UPN being sought (as for a child new to the authority), with history.
    The referral service calls this with the child locked."""
    old = child.upn_unknown_reason
    if old != rules.UPN_UNKNOWN_REFERRAL_NFA:
        return child
    new = upn_reason_while_sought(child.date_of_birth, referred_on)
    child.upn_unknown_reason = new
    validate_child(child)
    why = f"UPN unknown reason {old} to {new}: referral with further action {referred_on}"
    return save(child, by=by, why=why)


@transaction.atomic
def child_update(*, child: Child, by, version: ExpectedVersion, **changes: Any) -> Child:
    """Change a child's details; ``version`` is the one the user loaded (stale: conflict)."""
    require(by, "child_update")
    child = lock_at_version(child, version or 0)  # versions start at 1: none is stale
    for field, value in changes.items():
        if field not in EDITABLE:
            raise DomainError(errors.CHILD_UNKNOWN_FIELD.format(field=field), field=field)
        setattr(child, field, value)
    child.upn = (child.upn or "").strip().upper()
    child.nhs_number = (child.nhs_number or "").replace(" ", "")
    validate_child(child)
    changed = ", ".join(sorted(changes)) or "nothing"
    return save(child, by=by, why=f"Details changed ({changed}) by {actor(by)}")


def _default_disabilities(disabilities: list[str] | None, date_of_birth: date | None) -> list:
    """NONE for a born child with nothing recorded; an unborn child has no disability
    codes (the census leaves Disabilities out), so a census round trip stays identical."""
    if disabilities:
        return list(disabilities)
    return [Disability.NONE] if date_of_birth is not None else []


def validate_child(child: Child) -> None:
    """The census rules for one child's characteristics (reused by forms and importers)."""
    _codes(child)
    _birth(child)
    _death(child)
    _upn(child)
    if child.nhs_number and not nhs_number_is_valid(child.nhs_number):
        raise DomainError(errors.CHILD_NHS_FORMAT, field="nhs_number")
    unknown = sorted(set(child.disabilities) - set(Disability.values))
    if unknown:
        raise DomainError(
            errors.CHILD_DISABILITY_CODE.format(codes=", ".join(unknown)), field="disabilities"
        )
    if Disability.NONE in child.disabilities and len(set(child.disabilities)) > 1:
        raise DomainError(errors.CHILD_DISABILITY_NONE_ALONE, field="disabilities")


def _codes(child: Child) -> None:
    for field, choices, label in [
        ("sex", Sex, "sex"),
        ("ethnicity", Ethnicity, "ethnicity"),
    ]:
        value = getattr(child, field)
        if value not in choices.values:
            raise DomainError(errors.CHILD_BAD_CODE.format(value=value, label=label), field)
    reason = child.upn_unknown_reason
    if reason and reason not in UPNUnknownReason.values:
        raise DomainError(
            errors.CHILD_BAD_CODE.format(value=reason, label="UPN unknown reason"),
            "upn_unknown_reason",
        )


def _birth(child: Child) -> None:
    if child.date_of_birth and child.expected_date_of_birth:
        raise DomainError(errors.CHILD_DOB_AND_EXPECTED, field="expected_date_of_birth")
    if child.date_of_birth is None and child.expected_date_of_birth is None:
        raise DomainError(errors.CHILD_DOB_REQUIRED, field="date_of_birth")
    rules.not_in_future(child.date_of_birth, field="date_of_birth")
    if child.expected_date_of_birth is not None:
        if child.sex != Sex.UNBORN:
            raise DomainError(errors.CHILD_UNBORN_SEX, field="sex")
        if child.upn or child.upn_unknown_reason != UPNUnknownReason.UN8:
            raise DomainError(errors.CHILD_UNBORN_UPN, field="upn_unknown_reason")


def _death(child: Child) -> None:
    """Census 8535Q/8520-style rules at entry: a death is in the past, after the birth, and
    only for a child who was born (an unborn child who dies is not a census child)."""
    died = child.date_of_death
    if died is None:
        return
    rules.not_in_future(died, field="date_of_death")
    if child.date_of_birth is None:
        raise DomainError(errors.CHILD_DEATH_UNBORN, field="date_of_death")
    rules.not_before(died, child.date_of_birth, field="date_of_death", other="date of birth")


def check_upn_unknown_reason(child: Child) -> None:
    """UN7 only while every referral the child has is NFA (rules.upn_unknown_fits_referrals);
    the importer calls this once a child's episodes are loaded."""
    if child.pk is None or child.upn_unknown_reason != rules.UPN_UNKNOWN_REFERRAL_NFA:
        return
    from referrals.models import Referral  # referrals builds on casework

    nfa = Referral.objects.current().filter(child_id=child.pk).values_list("nfa", flat=True)
    rules.upn_unknown_fits_referrals(child.upn_unknown_reason, nfa)


def _upn(child: Child) -> None:
    check_upn_unknown_reason(child)
    if child.upn and child.upn_unknown_reason:
        raise DomainError(errors.CHILD_UPN_AND_REASON, field="upn")
    if not child.upn and not child.upn_unknown_reason:
        raise DomainError(errors.CHILD_UPN_REQUIRED, field="upn")
    if child.upn:
        try:
            upn_validator(child.upn)
        except Exception as exc:  # django ValidationError: re-raised as the domain error
            raise DomainError(errors.CHILD_UPN_FORMAT, field="upn") from exc
        holder = Child.objects.current().filter(upn=child.upn).exclude(pk=child.pk).first()
        if holder is not None:
            raise DomainError(
                errors.CHILD_UPN_TAKEN.format(la_child_id=holder.la_child_id), field="upn"
            )


def nhs_number_is_valid(value: str) -> bool:
    """10 digits; the last is the modulus-11 check digit (NHS Data Dictionary)."""
    if len(value) != 10 or not value.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(value[9])

"""Care leavers: who is owed leaving-care duties, pathway plans, contact and staying put.

Eligibility is read off the care history, never typed in (Children (Leaving Care) Act 2000;
Care Leavers (England) Regs 2010): looked after for 13 weeks or more since the 14th
birthday, some of it at 16 or over. Still looked after at 16 or 17: *eligible*; left care at
16 or 17: *relevant*; 18 to 25: *former relevant*. Looked after at 16 or over but for less
than 13 weeks: *qualifying*.

The SSDA903 OC3 row for a 17th-21st birthday is the contact recorded nearest that birthday
within the DfE's window (3 months before to 1 month after); ``birthday_age`` stores which
birthday a contact reports on, so the return and the KPIs filter on it in SQL.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q

from care import codes, errors
from care.models import CareLeaver, CarePeriod, LeaverContact, PathwayPlanReview
from casework import rules
from casework.errors import DomainError
from casework.models import Child, Worker
from casework.services.common import ExpectedVersion, actor, lock, lock_at_version, save
from casework.services.permissions import require

QUALIFYING_WEEKS = 13
PATHWAY_REVIEW_MONTHS = 6
OC3_AGES = (17, 18, 19, 20, 21)
BEFORE_BIRTHDAY = relativedelta(months=3)
AFTER_BIRTHDAY = relativedelta(months=1)


def days_looked_after_since_14(child: Child, on: date) -> tuple[int, bool]:
    """Days looked after from the 14th birthday to ``on``, and whether any of it was at 16+."""
    born = child.date_of_birth
    if born is None:
        return 0, False
    fourteen, sixteen = born + relativedelta(years=14), born + relativedelta(years=16)
    days, after_sixteen = 0, False
    periods = CarePeriod.objects.current().filter(child=child, started_on__lte=on)
    for start, end in periods.values_list("started_on", "ended_on"):
        end = min(end or on, on)
        lo = max(start, fourteen)
        if end > lo:
            days += (end - lo).days
        if end >= sixteen:
            after_sixteen = True
    return days, after_sixteen


def eligibility(child: Child, on: date) -> str | None:
    """The leaving-care category on ``on``, or None if the young person is owed none."""
    age = child.age_on(on)
    if age is None or age < 16 or age > 25:
        return None
    days, after_sixteen = days_looked_after_since_14(child, on)
    if not after_sixteen:
        return None
    if days < QUALIFYING_WEEKS * 7:
        return codes.LeaverEligibility.QUALIFYING
    if age >= 18:
        return codes.LeaverEligibility.FORMER_RELEVANT
    looked_after = CarePeriod.objects.current().filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on), child=child, started_on__lte=on
    )
    if looked_after.exists():
        return codes.LeaverEligibility.ELIGIBLE
    return codes.LeaverEligibility.RELEVANT


def oc3_birthday(born: date, contacted_on: date) -> int | None:
    """The 17th-21st birthday whose OC3 window (3 months before, 1 after) holds the day."""
    for age in OC3_AGES:
        birthday = born + relativedelta(years=age)
        if birthday - BEFORE_BIRTHDAY <= contacted_on <= birthday + AFTER_BIRTHDAY:
            return age
    return None


@transaction.atomic
def care_leaver_start(
    *, child: Child, by, on: date, worker: Worker | None = None, personal_adviser: str = ""
) -> CareLeaver:
    require(by, "care_leaver_start")
    child = lock(child)
    rules.not_in_future(on, field="on")
    if CareLeaver.objects.current().filter(child=child).exists():
        raise DomainError(errors.ALREADY_A_CARE_LEAVER, field="child")
    category = eligibility(child, on)
    if category is None:
        raise DomainError(errors.NOT_A_CARE_LEAVER, field="child")
    if worker is None:
        worker = (
            CarePeriod.objects.current()
            .filter(child=child, worker__isnull=False)
            .order_by("-started_on")
            .values_list("worker", flat=True)
            .first()
        )
        worker = Worker.objects.filter(pk=worker).first() if worker else None
    leaver = CareLeaver(
        child=child, worker=worker, eligibility=category, personal_adviser=personal_adviser.strip()
    )
    return save(leaver, by=by, why=f"Care leaver ({category}) recorded by {actor(by)}")


@transaction.atomic
def care_leaver_refresh(
    *, leaver: CareLeaver, by, on: date, expected_version: ExpectedVersion = None
) -> CareLeaver:
    """Eligibility moves on with age (relevant at 17 becomes former relevant at 18)."""
    require(by, "care_leaver_record")
    leaver = lock_at_version(leaver, expected_version)
    category = eligibility(leaver.child, on)
    if category and category != leaver.eligibility:
        leaver.eligibility = category
        save(leaver, by=by, why=f"Eligibility now {category}")
    return leaver


@transaction.atomic
def pathway_plan_record(
    *, leaver: CareLeaver, by, agreed_on: date, expected_version: ExpectedVersion = None
) -> CareLeaver:
    """A pathway plan agreed: the first review is due 6 months later."""
    require(by, "care_leaver_record")
    leaver = lock_at_version(leaver, expected_version)
    rules.not_in_future(agreed_on, field="agreed_on")
    leaver.pathway_plan_on = agreed_on
    leaver.next_pathway_review_due_on = agreed_on + relativedelta(months=PATHWAY_REVIEW_MONTHS)
    return save(leaver, by=by, why=f"Pathway plan recorded by {actor(by)}")


@transaction.atomic
def pathway_review_record(
    *, leaver: CareLeaver, by, held_on: date, expected_version: ExpectedVersion = None
) -> PathwayPlanReview:
    require(by, "care_leaver_record")
    leaver = lock_at_version(leaver, expected_version)
    rules.not_in_future(held_on, field="held_on")
    review = PathwayPlanReview(leaver=leaver, due_on=leaver.next_pathway_review_due_on,
                               held_on=held_on)  # fmt: skip
    save(review, by=by, why=f"Pathway plan review recorded by {actor(by)}")
    if leaver.pathway_plan_on is None:
        leaver.pathway_plan_on = held_on
    leaver.next_pathway_review_due_on = held_on + relativedelta(months=PATHWAY_REVIEW_MONTHS)
    save(leaver, by=by, why=f"Next pathway review due {leaver.next_pathway_review_due_on}")
    return review


def _validate_contact(born, contacted_on, in_touch, activity, accommodation) -> None:
    if in_touch not in codes.InTouch.values:
        raise DomainError(errors.BAD_CODE.format(label="in touch code"), field="in_touch")
    if in_touch == codes.InTouch.YES and not (activity and accommodation):
        raise DomainError(errors.ACTIVITY_AND_ACCOMMODATION_REQUIRED, field="activity")
    if activity and activity not in codes.LeaverActivity.values:
        raise DomainError(errors.BAD_CODE.format(label="activity"), field="activity")
    if accommodation and accommodation not in codes.LeaverAccommodation.values:
        raise DomainError(errors.BAD_CODE.format(label="accommodation"), field="accommodation")
    if (
        accommodation.startswith("Z")
        and born
        and born + relativedelta(years=17) <= contacted_on < born + relativedelta(years=18)
    ):
        raise DomainError(errors.FORMER_CARER_AT_17, field="accommodation")


@transaction.atomic
def leaver_contact_record(
    *,
    leaver: CareLeaver,
    by,
    contacted_on: date,
    in_touch: str,
    activity: str = "",
    accommodation: str = "",
    expected_version: ExpectedVersion = None,
) -> LeaverContact:
    """Contact with a care leaver, with their activity and accommodation (OC3 codes).

    Not in touch (or refusing, returned home, no longer needing services) leaves activity
    and accommodation unknown; the return sends them as the validator expects.
    """
    require(by, "care_leaver_record")
    leaver = lock_at_version(leaver, expected_version)
    rules.not_in_future(contacted_on, field="contacted_on")
    born = leaver.child.date_of_birth
    _validate_contact(born, contacted_on, in_touch, activity, accommodation)
    age = oc3_birthday(born, contacted_on) if born else None
    contact = LeaverContact(
        leaver=leaver,
        child_id=leaver.child_id,
        contacted_on=contacted_on,
        birthday_age=age,
        birthday_on=born + relativedelta(years=age) if age else None,
        in_touch=in_touch,
        activity=activity,
        accommodation=accommodation,
    )
    return save(contact, by=by, why=f"Care leaver contact recorded by {actor(by)}")


@transaction.atomic
def staying_put_set(
    *,
    leaver: CareLeaver,
    by,
    started_on: date,
    ended_on: date | None = None,
    expected_version: ExpectedVersion = None,
) -> CareLeaver:
    """Staying put: a former relevant young person stays on with their foster carers."""
    require(by, "care_leaver_record")
    leaver = lock_at_version(leaver, expected_version)
    rules.not_in_future(started_on, field="started_on")
    if ended_on is not None and ended_on < started_on:
        raise DomainError(errors.STAYING_PUT_ENDS_BEFORE_START, field="ended_on")
    leaver.staying_put_from, leaver.staying_put_to = started_on, ended_on
    return save(leaver, by=by, why=f"Staying put recorded by {actor(by)}")

"""Statutory timescales: each step's due date, and keeping open due dates true.

Due dates are stored on each step (so lists and KPIs filter and sort on them in SQL) and
counted in working days on ``casework.calendar`` (start date = day 0; domain.md section 3):

- contact screening decision: the authority's screening standard (``ScreeningStandard``:
  N working days from the local date of receipt, 0 = the same working day, or N hours from
  receipt; with the "working day" clock a contact received on a non-working day is timed
  from the start of the next working day). The default, 1 working day from receipt, is
  the fixed ``contacts_screened_1wd`` measure's;
- assessment authorised: 45 working days from the referral date (Working Together 2023),
  and, for DfE's published timeliness measure, 45 from the assessment start;
- ICPC: 15 working days from the strategy discussion that started the s47 (= s47 start);
- first core group: 10 working days from the ICPC;
- CP statutory visit: the authority's standard (default 10 working days) from the last
  visit at which the child was seen, or from the plan start.

When the calendar changes (an authority closure day is added or removed), or the visit or
screening standard changes, every step still open is recomputed from its anchor; steps already done
keep the date they were measured against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import structlog
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from casework import calendar

log = structlog.get_logger(__name__)

SCREENING_WORKING_DAYS = 1
ASSESSMENT_WORKING_DAYS = 45
ICPC_WORKING_DAYS = 15
CORE_GROUP_WORKING_DAYS = 10
DEFAULT_CP_VISIT_WORKING_DAYS = 10
# Child in need visits: no national frequency (Working Together 2023 leaves it to the plan);
# local procedures commonly say at least every four weeks, 20 working days.
CIN_VISIT_WORKING_DAYS = 20
# How long after an episode closed RC9 (referred to early help) its last worker and team
# keep the child in reach to request the step-down (accounts.permissions): the closure
# ends the allocation, and the request is made at or soon after it.
STEP_DOWN_REQUEST_DAYS = 28
# A plan's own visit standard, as a manager may vary it (seed 000: "at least two-weekly
# unless varied by a manager"): never more often than daily nor less than every 4 weeks.
PLAN_VISIT_STANDARD_MIN, PLAN_VISIT_STANDARD_MAX = 1, 20
BATCH_SIZE = 1000

CLOSURE_DAY_REASON_REQUIRED = "Enter the reason the authority is closed"
CLOSURE_DAY_OUT_OF_RANGE = "Enter a date between {start:%d %B %Y} and {end:%d %B %Y}"
CLOSURE_DAY_WEEKEND = "{day:%A %d %B %Y} is a weekend day: it is not a working day already"
CLOSURE_DAY_BANK_HOLIDAY = "{day:%d %B %Y} is already a bank holiday ({name})"
CLOSURE_DAY_EXISTS = "{day:%d %B %Y} is already a closure day"
AUTHORITY_UNKNOWN_FIELD = "The authority has no setting called {name}"


# Due dates: the one place each timescale is written down. Services call these.


@dataclass(frozen=True)
class ScreeningStandard:
    """The authority's front-door screening standard (``Authority.screening_standard_*``)."""

    unit: str  # "working_days" or "hours"
    amount: int  # 0 working days = the same working day
    clock: str  # "receipt", or "working_day": received on a non-working day, timed from the next

    @property
    def in_hours(self) -> bool:
        return self.unit == "hours"

    def __str__(self) -> str:
        if self.in_hours:
            amount = f"{self.amount} hour{'' if self.amount == 1 else 's'}"
        elif self.amount == 0:
            amount = "the same working day"
        else:
            amount = f"{self.amount} working day{'' if self.amount == 1 else 's'}"
        if self.clock == "working_day":
            return f"{amount} (from the next working day if received on a non-working day)"
        return f"{amount} from receipt" if self.amount else amount


SCREENING_STANDARD_FIELDS = {
    "unit": "screening_standard_unit",
    "amount": "screening_standard_amount",
    "clock": "screening_clock_start",
}


def default_screening_standard() -> ScreeningStandard:
    """The model's defaults (1 working day from receipt): no query."""
    from casework.models import Authority

    field = Authority._meta.get_field
    return ScreeningStandard(**{k: field(f).default for k, f in SCREENING_STANDARD_FIELDS.items()})


def screening_standard() -> ScreeningStandard:
    """The authority's screening standard, read once (one query); before an authority is
    set up, the model's defaults."""
    from casework.models import Authority

    found = Authority.objects.order_by("pk").values(*SCREENING_STANDARD_FIELDS.values()).first()
    if found is None:
        return default_screening_standard()
    return ScreeningStandard(**{k: found[f] for k, f in SCREENING_STANDARD_FIELDS.items()})


def screening_due_at(received_at: dt.datetime, standard: ScreeningStandard) -> dt.datetime | None:
    """An hours standard's deadline: the moment its hours run out (None for working days).

    The clock starts at receipt or, with the "working day" clock and a contact received on
    a non-working day, at local midnight of the next working day. Hours are elapsed time
    (added in UTC), so a clock change in the night does not move the deadline by an hour.
    """
    if not standard.in_hours:
        return None
    received_on = timezone.localdate(received_at)
    start = received_at
    if standard.clock == "working_day" and not calendar.is_working_day(received_on):
        midnight = dt.datetime.combine(calendar.next_working_day(received_on), dt.time.min)
        start = timezone.make_aware(midnight)
    return (start.astimezone(dt.UTC) + dt.timedelta(hours=standard.amount)).astimezone(
        timezone.get_current_timezone()
    )


def screening_due_on(received_at: dt.datetime, standard: ScreeningStandard) -> dt.date:
    """The date a contact's screening decision is due under the authority's standard.

    Working days: the N-th working day from the local date of receipt (or, with the
    "working day" clock, from the next working day when received on a non-working day).
    Hours: the local date the hours run out (``screening_due_at`` gives the moment).
    ``earlyhelp.kpis.contacts_screened_in_standard`` counts the same rule in SQL: a
    decision on or before this date is in standard (for hours: at or before the moment);
    a decision on a non-working day counts as made on the working day before it.
    """
    due_at = screening_due_at(received_at, standard)
    if due_at is not None:
        return timezone.localdate(due_at)
    start = timezone.localdate(received_at)
    if standard.clock == "working_day":
        start = calendar.next_working_day(start)
    return calendar.add_working_days(start, standard.amount)


def assessment_due_on(referred_on: dt.date) -> dt.date:
    return calendar.add_working_days(referred_on, ASSESSMENT_WORKING_DAYS)


def assessment_dfe_due_on(started_on: dt.date) -> dt.date:
    return calendar.add_working_days(started_on, ASSESSMENT_WORKING_DAYS)


def icpc_due_on(s47_started_on: dt.date) -> dt.date:
    return calendar.add_working_days(s47_started_on, ICPC_WORKING_DAYS)


def first_core_group_due_on(icpc_held_on: dt.date) -> dt.date:
    return calendar.add_working_days(icpc_held_on, CORE_GROUP_WORKING_DAYS)


def cp_visit_due_on(since: dt.date, *, standard: int | None = None) -> dt.date:
    """``since`` is the last visit at which the child was seen, or the plan start."""
    return calendar.add_working_days(since, standard or cp_visit_standard())


def cin_visit_due_on(since: dt.date) -> dt.date:
    """``since`` is the last CIN visit at which the child was seen, or the plan start."""
    return calendar.add_working_days(since, CIN_VISIT_WORKING_DAYS)


def first_review_due_on(icpc_held_on: dt.date) -> dt.date:
    """First review conference: 3 calendar months from the ICPC (Working Together 2023)."""
    return icpc_held_on + relativedelta(months=3)


def next_review_due_on(review_held_on: dt.date) -> dt.date:
    """Later review conferences: at most 6 calendar months after the previous one."""
    return review_held_on + relativedelta(months=6)


def cp_visit_standard() -> int:
    from casework.models import Authority

    found = Authority.objects.order_by("pk").values_list(
        "cp_visit_standard_working_days", flat=True
    )
    return found.first() or DEFAULT_CP_VISIT_WORKING_DAYS


# Open steps: which rows are still running, and the anchor their due date counts from.


@dataclass(frozen=True)
class OpenStep:
    name: str
    model: type[models.Model]
    field: str
    rows: Callable[[], models.QuerySet]  # open rows, annotated with ``anchor``
    due: Callable[[object], dt.date]


def open_steps(*, visit_standard: int, screening: ScreeningStandard) -> list[OpenStep]:
    from casework.models import (
        Assessment,
        ChildProtectionConference,
        ChildProtectionPlan,
        ConferenceKind,
        CoreGroup,
        S47Outcome,
        Section47Enquiry,
        Visit,
        VisitKind,
    )
    from casework.predicates import open_episodes
    from referrals.models import Contact, Referral

    not_authorised = Assessment.objects.exclude(status=Assessment.Status.AUTHORISED)
    authorised = Assessment.objects.filter(
        referral=OuterRef("pk"), status=Assessment.Status.AUTHORISED, entered_in_error=False
    )
    held_icpc = ChildProtectionConference.objects.filter(
        s47=OuterRef("pk"), status=ChildProtectionConference.Status.HELD
    )
    core_group = CoreGroup.objects.filter(plan=OuterRef("pk"), entered_in_error=False)
    # A statutory visit meets the standard only if the child was seen.
    last_visit = (
        Visit.objects.filter(
            cp_plan=OuterRef("pk"), kind=VisitKind.CP, child_seen=True, entered_in_error=False
        )
        .values("cp_plan")
        .annotate(last=Max("visited_on"))
        .values("last")
    )
    active_plans = ChildProtectionPlan.objects.filter(status=ChildProtectionPlan.Status.ACTIVE)
    s47_open = Section47Enquiry.objects.exclude(Exists(held_icpc)).exclude(icpc_not_required=True)
    # An enquiry that ended without needing a conference has no ICPC clock left.
    s47_open = s47_open.exclude(
        models.Q(status=Section47Enquiry.Status.COMPLETED) & ~models.Q(outcome=S47Outcome.ICPC)
    )
    return [
        OpenStep(
            "Contact.screening_due_on",
            Contact,
            "screening_due_on",
            lambda: Contact.objects.filter(status=Contact.Status.AWAITING_DECISION).annotate(
                anchor=F("received_at")
            ),
            lambda received_at: screening_due_on(received_at, screening),
        ),
        OpenStep(
            "Referral.assessment_due_on",
            Referral,
            "assessment_due_on",
            lambda: (
                open_episodes()
                .filter(assessment_due_on__isnull=False)
                .exclude(Exists(authorised))
                .annotate(anchor=F("referred_on"))
            ),
            assessment_due_on,
        ),
        OpenStep(
            "Assessment.due_on",
            Assessment,
            "due_on",
            lambda: not_authorised.annotate(anchor=F("referral__referred_on")),
            assessment_due_on,
        ),
        OpenStep(
            "Assessment.dfe_due_on",
            Assessment,
            "dfe_due_on",
            lambda: not_authorised.annotate(anchor=F("started_on")),
            assessment_dfe_due_on,
        ),
        OpenStep(
            "Section47Enquiry.icpc_due_on",
            Section47Enquiry,
            "icpc_due_on",
            lambda: s47_open.annotate(anchor=F("started_on")),
            icpc_due_on,
        ),
        OpenStep(
            "ChildProtectionConference.due_on",
            ChildProtectionConference,
            "due_on",
            lambda: ChildProtectionConference.objects.filter(
                kind=ConferenceKind.INITIAL,
                status=ChildProtectionConference.Status.SCHEDULED,
                s47__isnull=False,
            ).annotate(anchor=F("s47__started_on")),
            icpc_due_on,
        ),
        OpenStep(
            "ChildProtectionPlan.first_core_group_due_on",
            ChildProtectionPlan,
            "first_core_group_due_on",
            lambda: (
                active_plans.filter(icpc__held_on__isnull=False)
                .exclude(Exists(core_group))
                .annotate(anchor=F("icpc__held_on"))
            ),
            first_core_group_due_on,
        ),
        OpenStep(
            "ChildProtectionPlan.next_visit_due_on",
            ChildProtectionPlan,
            "next_visit_due_on",
            lambda: active_plans.annotate(
                anchor=Greatest("started_on", Coalesce(Subquery(last_visit), F("started_on")))
            ),
            lambda since: cp_visit_due_on(since, standard=visit_standard),
        ),
    ]


def _recompute_step(step: OpenStep, *, by, reason: str) -> int:
    changed: dict[int, dt.date] = {}
    rows = step.rows().values_list("pk", "anchor", step.field)
    for pk, anchor, stored in rows.iterator(chunk_size=5000):
        if anchor is None:
            continue
        due = step.due(anchor)
        if due != stored:
            changed[pk] = due
    pks = sorted(changed)
    for start in range(0, len(pks), BATCH_SIZE):
        batch = pks[start : start + BATCH_SIZE]
        objs = list(step.model.objects.select_for_update().filter(pk__in=batch).order_by("pk"))
        # A step closed by a service between the read and the lock keeps its date.
        still_open = set(step.rows().filter(pk__in=batch).values_list("pk", flat=True))
        objs = [obj for obj in objs if obj.pk in still_open]
        for obj in objs:
            setattr(obj, step.field, changed[obj.pk])
        bulk_update_with_history(
            objs, step.model, [step.field], default_user=by, default_change_reason=reason
        )
    return len(pks)


@transaction.atomic
def deadlines_recompute_open(
    *, by=None, reason: str = "Working-day calendar changed", only: Iterable[str] | None = None
) -> dict[str, int]:
    """Recompute the stored due date of every open step from its anchor.

    Steps already done (contacts decided, assessments authorised, conferences held, core
    groups held, plans ended) keep their dates: timeliness was measured against them.
    Only rows whose date changes are written, in batches, each with a history row naming
    ``by`` and ``reason``. The version is not bumped: a due date is not a field anyone
    edits, so a form open on the record is not made stale by it. Returns rows changed
    per step (e.g. ``{"Assessment.due_on": 12, ...}``).
    """
    wanted = set(only) if only is not None else None
    counts = {}
    steps = open_steps(visit_standard=cp_visit_standard(), screening=screening_standard())
    for step in steps:
        if wanted is None or step.name in wanted:
            counts[step.name] = _recompute_step(step, by=by, reason=reason)
    log.info("deadlines_recomputed", changed=counts, by=getattr(by, "pk", None), reason=reason)
    return counts


# Configuration services: closure days and the authority's settings.


def closure_day_check(day: dt.date, reason: str) -> None:
    """Refuse a closure day that would change nothing (also used by the admin form)."""
    from casework.models import ClosureDay

    if not reason:
        raise ValidationError({"reason": CLOSURE_DAY_REASON_REQUIRED})
    if not calendar.CALENDAR_START <= day <= calendar.CALENDAR_END:
        raise ValidationError(
            {
                "date": CLOSURE_DAY_OUT_OF_RANGE.format(
                    start=calendar.CALENDAR_START, end=calendar.CALENDAR_END
                )
            }
        )
    if day.weekday() >= 5:
        raise ValidationError({"date": CLOSURE_DAY_WEEKEND.format(day=day)})
    name = calendar.bank_holidays(day, day).get(day)
    if name:
        raise ValidationError({"date": CLOSURE_DAY_BANK_HOLIDAY.format(day=day, name=name)})
    if ClosureDay.objects.filter(date=day).exists():
        raise ValidationError({"date": CLOSURE_DAY_EXISTS.format(day=day)})


@transaction.atomic
def closure_day_add(*, date: dt.date, reason: str, by):
    """Add a local closure day: it stops being a working day and open deadlines move.

    domain.md section 3: working days exclude weekends, England and Wales bank holidays
    and the authority's own closure days.
    """
    from casework.models import ClosureDay

    reason = (reason or "").strip()
    closure_day_check(date, reason)
    try:
        with transaction.atomic():
            closure_day = ClosureDay.objects.create(date=date, reason=reason)
    except IntegrityError:  # added by someone else since the check
        raise ValidationError({"date": CLOSURE_DAY_EXISTS.format(day=date)}) from None
    calendar.calendar_rebuild()
    deadlines_recompute_open(by=by, reason=f"Closure day added: {closure_day}")
    log.info("closure_day_added", date=str(date), by=getattr(by, "pk", None))
    return closure_day


@transaction.atomic
def closure_day_remove(*, closure_day, by) -> None:
    """Remove a closure day (configuration, not a case record, so it may be deleted)."""
    from casework.models import ClosureDay

    locked = ClosureDay.objects.select_for_update().filter(pk=closure_day.pk).first()
    if locked is None:
        return  # already removed: nothing to undo
    label = str(locked)
    locked.delete()
    calendar.calendar_rebuild()
    deadlines_recompute_open(by=by, reason=f"Closure day removed: {label}")
    log.info("closure_day_removed", closure_day=label, by=getattr(by, "pk", None))


@transaction.atomic
def authority_update(*, authority, by, **fields):
    """Change the authority's settings; a new CP visit standard moves open visit dates."""
    from casework.models import Authority
    from casework.services.common import lock

    editable = {f.name for f in Authority._meta.concrete_fields if f.editable and not f.primary_key}
    for name in fields:
        if name not in editable:
            raise ValidationError(AUTHORITY_UNKNOWN_FIELD.format(name=name))
    locked = lock(authority)
    before = locked.cp_visit_standard_working_days
    screening_before = _screening_of(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked._history_user = by
    locked.save()
    if locked.cp_visit_standard_working_days != before:
        deadlines_recompute_open(
            by=by,
            reason=f"CP visit standard changed to {locked.cp_visit_standard_working_days} days",
            only={"ChildProtectionPlan.next_visit_due_on"},
        )
    # Stored (the queue sorts and pages on it in SQL), so contacts awaiting a decision
    # move with the standard; decided ones keep the date they were timed against.
    screening = _screening_of(locked)
    if screening != screening_before:
        deadlines_recompute_open(
            by=by,
            reason=f"Screening standard changed to {screening}",
            only={"Contact.screening_due_on"},
        )
    return locked


def _screening_of(authority) -> ScreeningStandard:
    fields = SCREENING_STANDARD_FIELDS.items()
    return ScreeningStandard(**{k: getattr(authority, f) for k, f in fields})

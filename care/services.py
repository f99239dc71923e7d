"""Children in care: the one write path (pages, API, generator, importers).

Every operation is keyword-only, takes the acting user as ``by``, checks the permission
table, runs in one transaction with the period row locked, raises ``DomainError`` with
the field at fault, bumps ``version`` and records who and why in history (the casework
conventions, ``casework.services``). Dates may be back-dated, never in the future.

care_start          a child becomes looked after: period, first episode (RNE S), placement;
                    an active CP plan ends that day; the CIN episode's worker carries on
care_change         change of legal status and/or placement: the episode ends (X1) and the
                    next starts the same day with the RNE the SSDA903 return defines
care_end            the child ceases to be looked after (REC)
care_review_record, care_visit_record, care_visit_frequency_set, health_check_record,
pep_record, missing_record, missing_return_record, uasc_set
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from care import codes, errors, timescales
from care.models import (
    CareEpisode,
    CarePeriod,
    CareReview,
    CareVisit,
    EducationPlan,
    HealthCheck,
    MissingEpisode,
    Placement,
)
from casework import rules
from casework.errors import DomainError
from casework.models import Child, ChildProtectionPlan, Worker
from casework.predicates import open_allocations
from casework.services.common import (
    actor,
    check_transition,
    lock,
    lock_at_version,
    require_reason,
    save,
)
from casework.services.permissions import require
from casework.services.plans import cp_plan_end_on_looked_after
from casework.services.protection import open_episode
from referrals.models import Referral


@dataclass(frozen=True)
class PlacementDetails:
    place: str
    provider: str = ""
    postcode: str = ""
    urn: str = ""
    carer: str = ""
    long_term: bool = False


def _code(value: str, choices, *, label: str, field: str) -> str:
    if value not in choices.values:
        raise DomainError(errors.BAD_CODE.format(label=label), field=field)
    return value


def validate_placement(details: PlacementDetails) -> None:
    """The SSDA903 field rules for one placement (types, provider, URN)."""
    _code(details.place, codes.PlacementType, label="placement type", field="place")
    provider = details.provider
    if details.place in codes.NO_PROVIDER_PLACEMENTS:
        if provider:
            raise DomainError(errors.PROVIDER_NOT_ALLOWED, field="provider")
    elif details.place != "T4" and not provider:
        raise DomainError(errors.PROVIDER_REQUIRED, field="provider")
    if provider:
        _code(provider, codes.PlacementProvider, label="placement provider", field="provider")
        if (provider == "PR0") != (details.place == "P1"):
            raise DomainError(errors.PROVIDER_PARENT_ONLY_P1, field="provider")
    if details.place not in codes.NO_URN_PLACEMENTS and not details.urn.strip():
        raise DomainError(errors.URN_REQUIRED, field="urn")


def _legal_status(child: Child, value: str, on: date) -> str:
    _code(value, codes.LegalStatus, label="legal status", field="legal_status")
    age = child.age_on(on)
    if value in codes.YOUTH_JUSTICE and (age is None or age < 10):
        raise DomainError(errors.YOUTH_JUSTICE_AGE, field="legal_status")
    return value


def _new_placement(period: CarePeriod, details: PlacementDetails, on: date, *, by) -> Placement:
    placement = Placement(
        child_id=period.child_id,
        period=period,
        place=details.place,
        provider=details.provider,
        postcode=details.postcode.strip().upper(),
        urn=details.urn.strip().upper(),
        carer=details.carer.strip(),
        long_term=details.long_term,
        started_on=on,
    )
    return save(placement, by=by, why=f"Placement recorded by {actor(by)}")


def _carrying_worker(referral: Referral | None) -> Worker | None:
    """The worker allocated to the child in need episode the child came into care from."""
    if referral is None:
        return None
    allocation = open_allocations().filter(referral=referral).select_related("worker").first()
    return allocation.worker if allocation else None


@transaction.atomic
def care_start(
    *,
    child: Child,
    by,
    started_on: date,
    legal_status: str,
    category_of_need: str,
    placement: PlacementDetails,
    referral: Referral | None = None,
    worker: Worker | None = None,
    uasc: bool = False,
    home_postcode: str = "",
) -> CarePeriod:
    """A child becomes looked after, from their open CIN/CP episode or directly."""
    require(by, "care_start")
    child = lock(child)
    rules.not_in_future(started_on, field="started_on")
    _legal_status(child, legal_status, started_on)
    _code(category_of_need, codes.CategoryOfNeed, label="category of need",
          field="category_of_need")  # fmt: skip
    validate_placement(placement)
    if placement.place in codes.TEMPORARY_PLACEMENTS:
        raise DomainError(errors.TEMPORARY_AT_START_OR_END, field="place")
    _no_overlapping_period(child, started_on)
    if referral is None:
        referral = (
            Referral.objects.current().filter(child=child, status=Referral.Status.OPEN).first()
        )
    if referral is not None:
        referral = open_episode(referral)
    period = CarePeriod(
        child=child,
        referral=referral,
        worker=worker or _carrying_worker(referral),
        started_on=started_on,
        uasc=uasc,
        next_review_due_on=timescales.first_review_due_on(started_on),
        next_health_due_on=timescales.initial_health_due_on(started_on),
        next_pep_due_on=timescales.first_pep_due_on(started_on),
        next_visit_due_on=timescales.next_visit_due_on(
            started_on, None, long_term=placement.long_term
        ),
    )
    save(period, by=by, why=f"Became looked after, recorded by {actor(by)}")
    first = _new_placement(period, placement, started_on, by=by)
    episode = CareEpisode(
        child=child,
        period=period,
        placement=first,
        started_on=started_on,
        reason_new_episode=codes.NewEpisodeReason.S,
        legal_status=legal_status,
        category_of_need=category_of_need,
        home_postcode=(home_postcode or child.postcode).strip().upper(),
    )
    save(episode, by=by, why=f"First episode of care recorded by {actor(by)}")
    _end_cp_plan(child, started_on, by=by)
    return period


def _no_overlapping_period(child: Child, started_on: date) -> None:
    for other in CarePeriod.objects.current().filter(child=child).order_by("-started_on"):
        if other.ended_on is None:
            raise DomainError(
                errors.ALREADY_LOOKED_AFTER.format(started_on=other.started_on), "started_on"
            )
        if other.started_on >= started_on:
            raise DomainError(
                errors.STARTED_BEFORE_PREVIOUS.format(started_on=other.started_on), "started_on"
            )
        if started_on <= other.ended_on:
            raise DomainError(
                errors.PERIODS_OVERLAP.format(ended_on=other.ended_on), field="started_on"
            )


def _end_cp_plan(child: Child, on: date, *, by) -> None:
    plans = ChildProtectionPlan.objects.current().filter(
        child=child, status=ChildProtectionPlan.Status.ACTIVE
    )
    for plan in plans:
        try:
            cp_plan_end_on_looked_after(plan=plan, by=by, ended_on=on)
        except DomainError as refused:
            raise DomainError(refused.message, field="started_on") from refused


def _open_period(
    period: CarePeriod, *, action: str, expected_version: int | None = None
) -> CarePeriod:
    period = lock_at_version(period, expected_version)
    check_transition(period, period.cease, action=action, thing="a period of care")
    return period


def _current_episode(period: CarePeriod) -> CareEpisode:
    return (
        CareEpisode.objects.current()
        .select_for_update()
        .select_related("placement")
        .get(period=period, ended_on__isnull=True)
    )


def new_episode_reason(*, legal_status_changed: bool, placement_changed: bool, same_carer: bool):
    """SSDA903 RNE for a change inside a period of care."""
    if legal_status_changed and placement_changed:
        return codes.NewEpisodeReason.U if same_carer else codes.NewEpisodeReason.B
    if placement_changed:
        return codes.NewEpisodeReason.T if same_carer else codes.NewEpisodeReason.P
    return codes.NewEpisodeReason.L


@transaction.atomic
def care_change(
    *,
    period: CarePeriod,
    by,
    changed_on: date,
    legal_status: str = "",
    placement: PlacementDetails | None = None,
    same_carer: bool = False,
    reason_place_change: str = "",
    expected_version: int | None = None,
) -> CareEpisode:
    """A change of legal status and/or placement: a new SSDA903 episode the same day.

    A change on the day the current episode started replaces that episode's legal status
    or placement instead (the return holds the last placement of a day; a zero-length
    episode would be a data error), keeping the superseded placement on record.
    """
    require(by, "care_change")
    period = _open_period(period, action="change", expected_version=expected_version)
    episode = _current_episode(period)
    rules.not_in_future(changed_on, field="changed_on")
    if changed_on < episode.started_on:
        raise DomainError(
            errors.BEFORE_EPISODE.format(started_on=episode.started_on), field="changed_on"
        )
    child = period.child
    ls_changed = bool(legal_status) and legal_status != episode.legal_status
    if ls_changed:
        _legal_status(child, legal_status, changed_on)
    if placement is None and not ls_changed:
        raise DomainError(errors.NOTHING_CHANGED, field="legal_status")
    if placement is not None:
        validate_placement(placement)
        _code(reason_place_change, codes.PlacementChangeReason,
              label="reason for the placement change", field="reason_place_change")  # fmt: skip
    if changed_on == episode.started_on:
        return _replace_same_day(period, episode, legal_status if ls_changed else "", placement,
                                 reason_place_change, by=by)  # fmt: skip
    episode.ended_on, episode.reason_ceased = changed_on, codes.ReasonCeased.X1
    episode.reason_place_change = reason_place_change if placement is not None else ""
    save(episode, by=by, why=f"Episode ended (X1) by {actor(by)}")
    current_placement = episode.placement
    if placement is not None:
        current_placement = _end_placement(
            episode.placement, changed_on, reason_place_change, by=by
        )
        current_placement = _new_placement(period, placement, changed_on, by=by)
    nxt = CareEpisode(
        child_id=period.child_id,
        period=period,
        placement=current_placement,
        started_on=changed_on,
        reason_new_episode=new_episode_reason(
            legal_status_changed=ls_changed,
            placement_changed=placement is not None,
            same_carer=same_carer,
        ),
        legal_status=legal_status if ls_changed else episode.legal_status,
        category_of_need=episode.category_of_need,
        home_postcode=episode.home_postcode,
    )
    save(nxt, by=by, why=f"New episode ({nxt.reason_new_episode}) recorded by {actor(by)}")
    if placement is not None:
        _refresh_visit_due(period, by=by)
    return nxt


def _end_placement(placement: Placement, on: date, reason: str, *, by, superseded=False):
    placement = lock(placement)
    placement.ended_on, placement.reason_change = on, reason
    placement.superseded = superseded
    return save(placement, by=by, why=f"Placement ended by {actor(by)}")


def _replace_same_day(period, episode, legal_status, placement, reason, *, by) -> CareEpisode:
    if legal_status:
        episode.legal_status = legal_status
    if placement is not None:
        if episode.reason_new_episode == codes.NewEpisodeReason.S and (
            placement.place in codes.TEMPORARY_PLACEMENTS
        ):
            raise DomainError(errors.TEMPORARY_AT_START_OR_END, field="place")
        _end_placement(episode.placement, episode.started_on, reason, by=by, superseded=True)
        episode.placement = _new_placement(period, placement, episode.started_on, by=by)
    save(episode, by=by, why=f"Episode amended on its first day by {actor(by)}")
    if placement is not None:
        _refresh_visit_due(period, by=by)
    return episode


def decide_care_end(
    period: CarePeriod, *, episode: CareEpisode, ended_on: date, reason_ceased: str
) -> str:
    """Ceasing care (SSDA903): a reason that fits the last placement and the child's age,
    not before the last episode began; X1 only links episodes, it ends nothing."""
    check_transition(period, period.cease, action="end", thing="a period of care")
    rules.not_in_future(ended_on, field="ended_on")
    if ended_on < episode.started_on:
        raise DomainError(
            errors.BEFORE_EPISODE.format(started_on=episode.started_on), field="ended_on"
        )
    _code(reason_ceased, codes.ReasonCeased, label="reason for ceasing", field="reason_ceased")
    if reason_ceased == codes.ReasonCeased.X1:
        raise DomainError(errors.X1_NOT_AN_END, field="reason_ceased")
    if episode.placement.place in codes.TEMPORARY_PLACEMENTS:
        raise DomainError(errors.TEMPORARY_AT_START_OR_END, field="ended_on")
    age = period.child.age_on(ended_on)
    if reason_ceased in codes.ADOPTED and (
        episode.placement.place not in codes.ADOPTION_PLACEMENTS or (age is not None and age >= 18)
    ):
        raise DomainError(errors.ADOPTION_NEEDS_ADOPTIVE_PLACEMENT, field="reason_ceased")
    minimum = codes.REASON_MIN_AGE.get(reason_ceased)
    if minimum is not None and (age is None or age < minimum):
        raise DomainError(
            errors.REASON_TOO_YOUNG.format(code=reason_ceased, age=minimum), "reason_ceased"
        )
    return CarePeriod.Status.CEASED


@transaction.atomic
def care_end(
    *,
    period: CarePeriod,
    by,
    ended_on: date,
    reason_ceased: str,
    expected_version: int | None = None,
) -> CarePeriod:
    """The child ceases to be looked after: the last episode ends with ``reason_ceased``."""
    require(by, "care_end")
    period = _open_period(period, action="end", expected_version=expected_version)
    episode = _current_episode(period)
    decide_care_end(period, episode=episode, ended_on=ended_on, reason_ceased=reason_ceased)
    episode.ended_on, episode.reason_ceased = ended_on, reason_ceased
    save(episode, by=by, why=f"Last episode ended ({reason_ceased}) by {actor(by)}")
    _end_placement(episode.placement, ended_on, "", by=by)
    period.cease()
    period.ended_on, period.reason_ceased = ended_on, reason_ceased
    period.next_review_due_on = period.next_visit_due_on = None
    period.next_health_due_on = period.next_pep_due_on = None
    return save(period, by=by, why=f"Ceased to be looked after ({reason_ceased}), {actor(by)}")


def _within_period(period: CarePeriod, day: date, *, field: str) -> None:
    rules.not_in_future(day, field=field)
    if day < period.started_on:
        raise DomainError(errors.OUTSIDE_PERIOD.format(started_on=period.started_on), field)
    if period.ended_on is not None and day > period.ended_on:
        raise DomainError(errors.AFTER_PERIOD.format(ended_on=period.ended_on), field)


def _looked_after(
    period: CarePeriod, *, action: str, expected_version: int | None = None
) -> CarePeriod:
    period = lock_at_version(period, expected_version)
    if period.status != CarePeriod.Status.LOOKED_AFTER:
        raise DomainError(errors.NOT_LOOKED_AFTER, field="period")
    return period


@transaction.atomic
def care_review_record(
    *,
    period: CarePeriod,
    by,
    held_on: date,
    participation: str,
    expected_version: int | None = None,
) -> CareReview:
    """A looked-after review: the next is due 3 months after the first, then 6-monthly."""
    require(by, "care_review_record")
    period = _looked_after(period, action="review", expected_version=expected_version)
    _within_period(period, held_on, field="held_on")
    _code(participation, codes.ReviewParticipation, label="participation code",
          field="participation")  # fmt: skip
    age = period.child.age_on(held_on)
    if age is not None and age < 4 and participation != "PN0":
        raise DomainError(errors.PARTICIPATION_UNDER_4, field="participation")
    if (age is None or age >= 4) and participation == "PN0" and period.child.date_of_birth:
        raise DomainError(errors.PARTICIPATION_NOT_UNDER_4, field="participation")
    held = period.reviews.current()
    review = CareReview(
        child_id=period.child_id,
        period=period,
        number=held.count() + 1,
        due_on=period.next_review_due_on or held_on,
        held_on=held_on,
        participation=participation,
    )
    save(review, by=by, why=f"Looked-after review recorded by {actor(by)}")
    latest = held.aggregate(d=Max("held_on"))["d"]
    period.next_review_due_on = timescales.next_review_due_on(latest, reviews_held=review.number)
    save(period, by=by, why=f"Next review due {period.next_review_due_on:%d/%m/%Y}")
    return review


def _placement_on(period: CarePeriod, day: date) -> Placement:
    """The (counted) placement the child was in on ``day``."""
    return (
        Placement.objects.current()
        .filter(period=period, superseded=False, started_on__lte=day)
        .order_by("-started_on", "-pk")
        .first()
    )


def _refresh_visit_due(period: CarePeriod, *, by) -> None:
    placement = _placement_on(period, date.max)
    last = (
        period.visits.current()
        .filter(placement=placement, child_seen=True)
        .aggregate(d=Max("visited_on"))["d"]
    )
    due = timescales.next_visit_due_on(
        placement.started_on, last, long_term=placement.long_term,
        interval_days=period.visit_interval_days,
    )  # fmt: skip
    if due != period.next_visit_due_on:
        period.next_visit_due_on = due
        save(period, by=by, why=f"Next statutory visit due {due:%d/%m/%Y}")


@transaction.atomic
def care_visit_record(
    *,
    period: CarePeriod,
    by,
    visited_on: date,
    child_seen: bool,
    seen_alone: bool = False,
    worker: Worker | None = None,
    notes: str = "",
    expected_version: int | None = None,
) -> CareVisit:
    """A statutory visit to a looked-after child (reg 28); the next falls due from it."""
    require(by, "care_visit_record")
    period = _looked_after(period, action="visit", expected_version=expected_version)
    _within_period(period, visited_on, field="visited_on")
    placement = _placement_on(period, visited_on)
    current = _placement_on(period, date.max)
    visit = CareVisit(
        child_id=period.child_id,
        period=period,
        placement=placement,
        worker=worker or Worker.objects.filter(user=by).first(),
        due_on=period.next_visit_due_on if placement == current else visited_on,
        visited_on=visited_on,
        child_seen=child_seen,
        seen_alone=child_seen and seen_alone,
        notes=notes,
    )
    save(visit, by=by, why=f"Looked-after child visit recorded by {actor(by)}")
    _refresh_visit_due(period, by=by)
    return visit


@transaction.atomic
def care_visit_frequency_set(
    *,
    period: CarePeriod,
    by,
    interval_days: int | None,
    reason: str,
    today: date | None = None,
    expected_version: int | None = None,
) -> CarePeriod:
    """A manager sets visits more often than the regulation's maximum (None: the default)."""
    require(by, "care_visit_frequency_set")
    period = _looked_after(period, action="vary visits for", expected_version=expected_version)
    reason = require_reason(reason)
    if interval_days is not None:
        placement = _placement_on(period, date.max)
        maximum = timescales.legal_max_visit_interval_days(
            placement.started_on, today or timezone.localdate(), long_term=placement.long_term
        )
        if not 1 <= interval_days <= maximum:
            raise DomainError(
                errors.INTERVAL_OUT_OF_RANGE.format(maximum=maximum), field="interval_days"
            )
    period.visit_interval_days, period.visit_interval_reason = interval_days, reason
    save(period, by=by, why=f"Visit frequency varied by {actor(by)}: {reason}")
    _refresh_visit_due(period, by=by)
    return period


@transaction.atomic
def health_check_record(
    *, period: CarePeriod, by, kind: str, done_on: date, expected_version: int | None = None
) -> HealthCheck:
    """Initial or review health assessment (moves the next due), dental check, immunisations."""
    require(by, "health_check_record")
    period = _looked_after(period, action="record health for", expected_version=expected_version)
    _within_period(period, done_on, field="done_on")
    _code(kind, codes.HealthCheckKind, label="kind of check", field="kind")
    checks = period.health_checks.current()
    due = None
    if kind == codes.HealthCheckKind.INITIAL:
        done = checks.filter(kind=kind).first()
        if done is not None:
            raise DomainError(errors.INITIAL_HEALTH_DONE.format(done_on=done.done_on), "kind")
        due = timescales.initial_health_due_on(period.started_on)
    elif kind == codes.HealthCheckKind.REVIEW:
        due = period.next_health_due_on
    check = HealthCheck(
        child_id=period.child_id, period=period, kind=kind, due_on=due, done_on=done_on
    )
    save(check, by=by, why=f"{check.get_kind_display()} recorded by {actor(by)}")
    if kind in (codes.HealthCheckKind.INITIAL, codes.HealthCheckKind.REVIEW):
        latest = checks.filter(kind__in=["initial", "review"]).aggregate(d=Max("done_on"))["d"]
        period.next_health_due_on = timescales.review_health_due_on(
            latest, age=period.child.age_on(latest)
        )
        save(period, by=by, why=f"Next health assessment due {period.next_health_due_on}")
    return check


@transaction.atomic
def pep_record(
    *, period: CarePeriod, by, held_on: date, expected_version: int | None = None
) -> EducationPlan:
    """A personal education plan started or reviewed; the next review is due termly."""
    require(by, "pep_record")
    period = _looked_after(period, action="record a PEP for", expected_version=expected_version)
    _within_period(period, held_on, field="held_on")
    pep = EducationPlan(
        child_id=period.child_id,
        period=period,
        due_on=period.next_pep_due_on or held_on,
        held_on=held_on,
    )
    save(pep, by=by, why=f"Personal education plan recorded by {actor(by)}")
    latest = period.peps.current().aggregate(d=Max("held_on"))["d"]
    period.next_pep_due_on = timescales.next_pep_due_on(latest)
    save(period, by=by, why=f"Next PEP due {period.next_pep_due_on:%d/%m/%Y}")
    return pep


@transaction.atomic
def missing_record(
    *,
    period: CarePeriod,
    by,
    kind: str,
    started_on: date,
    ended_on: date | None = None,
    expected_version: int | None = None,
) -> MissingEpisode:
    """A child missing or away from placement; a return interview is due within 72 hours."""
    require(by, "missing_record")
    period = lock_at_version(period, expected_version)
    _within_period(period, started_on, field="started_on")
    _code(kind, codes.MissingKind, label="kind of episode", field="kind")
    episode = MissingEpisode(
        child_id=period.child_id, period=period, kind=kind, started_on=started_on,
        recorded_by=by,
    )  # fmt: skip
    if ended_on is not None:
        _returned(episode, ended_on)
    return save(episode, by=by, why=f"Missing episode recorded by {actor(by)}")


def _returned(episode: MissingEpisode, ended_on: date) -> None:
    rules.not_in_future(ended_on, field="ended_on")
    if ended_on < episode.started_on:
        raise DomainError(errors.MISSING_ENDS_BEFORE_START, field="ended_on")
    episode.ended_on = ended_on
    episode.return_interview_due_on = timescales.return_interview_due_on(ended_on)


@transaction.atomic
def missing_return_record(
    *,
    missing: MissingEpisode,
    by,
    ended_on: date | None = None,
    interview_offered: bool = False,
    interview_on: date | None = None,
    expected_version: int | None = None,
) -> MissingEpisode:
    """The child's return and/or the return home interview offered and held."""
    require(by, "missing_record")
    missing = lock_at_version(missing, expected_version)
    if ended_on is not None:
        if missing.ended_on is not None and ended_on != missing.ended_on:
            raise DomainError(errors.MISSING_ALREADY_RETURNED, field="ended_on")
        _returned(missing, ended_on)
    if interview_on is not None:
        rules.not_in_future(interview_on, field="interview_on")
        if missing.ended_on is None or interview_on < missing.ended_on:
            raise DomainError(errors.INTERVIEW_BEFORE_RETURN, field="interview_on")
        missing.return_interview_on = interview_on
        interview_offered = True
    missing.return_interview_offered = missing.return_interview_offered or interview_offered
    return save(missing, by=by, why=f"Return from missing recorded by {actor(by)}")


@transaction.atomic
def uasc_set(
    *,
    period: CarePeriod,
    by,
    uasc: bool,
    ceased_on: date | None = None,
    expected_version: int | None = None,
) -> CarePeriod:
    """Unaccompanied asylum-seeking status, and the date it ceased (SSDA903 DUC)."""
    require(by, "uasc_set")
    period = lock_at_version(period, expected_version)
    if ceased_on is not None:
        if not uasc:
            raise DomainError(errors.UASC_CEASED_WITHOUT_STATUS, field="ceased_on")
        rules.not_in_future(ceased_on, field="ceased_on")
    period.uasc, period.uasc_ceased_on = uasc, ceased_on
    return save(period, by=by, why=f"UASC status recorded by {actor(by)}")

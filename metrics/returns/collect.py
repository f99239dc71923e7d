"""Read the census children from the database as ``ChildRecord``s, in batches.

Scope (DfE CIN census guidance): every child with a CIN episode open at any time in the census
year, i.e. referred in the year or still open on 1 April. Within each episode, the assessments,
CIN plans, section 47 enquiries and CP plans that were open at any time in the year; review
conferences held in the year. Records marked entered in error are left out everywhere.

Queries are constant per batch of children (one per prefetched relation), never per child.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, Q, QuerySet

from casework.codes import PrimaryNeed, UPNUnknownReason
from casework.models import (
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceKind,
    Section47Enquiry,
)
from metrics.returns.records import (
    AssessmentRecord,
    CensusPeriod,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
)
from referrals.models import Referral

BATCH_SIZE = 500


def _open_in(period: CensusPeriod, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": period.end}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start})
    )


def episodes_in_census(period: CensusPeriod) -> QuerySet[Referral]:
    return Referral.objects.current().filter(
        _open_in(period, "referred_on", "closed_on"), child__entered_in_error=False
    )


def census_children(period: CensusPeriod) -> QuerySet[Child]:
    """Children in the return, in LA child ID order (the file's order)."""
    ids = episodes_in_census(period).values("child_id")
    return Child.objects.current().filter(pk__in=ids).order_by("la_child_id")


def _prefetches(period: CensusPeriod) -> list[Prefetch]:
    held_icpcs = ChildProtectionConference.objects.current().filter(
        kind=ConferenceKind.INITIAL, held_on__isnull=False
    )
    reviews = ChildProtectionConference.objects.current().filter(
        kind=ConferenceKind.REVIEW, held_on__range=(period.start, period.end)
    )
    return [
        Prefetch(
            "referrals",
            queryset=episodes_in_census(period).order_by("referred_on", "pk"),
            to_attr="census_episodes",
        ),
        Prefetch(
            "census_episodes__assessments",
            queryset=Assessment.objects.current()
            .filter(_open_in(period, "started_on", "authorised_on"))
            .order_by("started_on", "pk"),
            to_attr="census_assessments",
        ),
        Prefetch(
            "census_episodes__cin_plans",
            queryset=CINPlan.objects.current()
            .filter(_open_in(period, "started_on", "ended_on"))
            .order_by("started_on", "pk"),
            to_attr="census_cin_plans",
        ),
        Prefetch(
            "census_episodes__s47s",
            queryset=Section47Enquiry.objects.current()
            .filter(_open_in(period, "started_on", "ended_on"))
            .order_by("started_on", "pk"),
            to_attr="census_s47s",
        ),
        Prefetch(
            "census_episodes__census_s47s__icpc",
            queryset=held_icpcs,
        ),
        Prefetch(
            "census_episodes__conferences",
            queryset=held_icpcs.filter(held_on__range=(period.start, period.end)).order_by(
                "held_on", "pk"
            ),
            to_attr="census_icpcs",
        ),
        Prefetch(
            "census_episodes__cp_plans",
            queryset=ChildProtectionPlan.objects.current()
            .filter(_open_in(period, "started_on", "ended_on"))
            .order_by("started_on", "pk"),
            to_attr="census_cp_plans",
        ),
        Prefetch(
            "census_episodes__census_cp_plans__reviews",
            queryset=reviews.order_by("held_on", "pk"),
            to_attr="census_reviews",
        ),
        Prefetch(
            "cp_plans",
            queryset=ChildProtectionPlan.objects.current().only("child_id", "started_on"),
            to_attr="all_cp_plans",
        ),
    ]


def iter_census_children(
    period: CensusPeriod, batch_size: int = BATCH_SIZE
) -> Iterator[ChildRecord]:
    """Yield every census child; memory is bounded by one batch."""
    ids = list(census_children(period).values_list("pk", flat=True))
    for i in range(0, len(ids), batch_size):
        batch = ids[i : i + batch_size]
        children = (
            Child.objects.filter(pk__in=batch)
            .order_by("la_child_id")
            .prefetch_related(*_prefetches(period))
        )
        for child in children:
            yield child_record(child, period)


def child_record(child: Child, period: CensusPeriod) -> ChildRecord:
    plan_starts = sorted(p.started_on for p in child.all_cp_plans)
    return ChildRecord(
        la_child_id=child.la_child_id,
        **identity_at(child, period.reference_date),
        ethnicity=child.ethnicity,
        episodes=[_episode(r, period, plan_starts) for r in child.census_episodes],
    )


def identity_at(child: Child, day) -> dict:
    """The child's census identity as it stood on ``day`` (the reference date), not today.

    A child born after ``day`` was unborn then: no date of birth, the expected date instead
    (the birth date when no expected date is kept: the birth replaced it), sex U, UPN unknown
    UN8 and no disability codes (census rules 8520, 8750). A death after ``day`` had not
    happened yet. A child still unborn today is exported as recorded (the service keeps it
    to sex U and UN8), so a fault in the record still shows in the checks.
    """
    born = child.date_of_birth
    if born is not None and born > day:
        return {
            "sex": "U",
            "date_of_birth": None,
            "expected_date_of_birth": child.expected_date_of_birth or born,
            "date_of_death": None,
            "upn": "",
            "upn_unknown_reason": UPNUnknownReason.UN8,
            "disabilities": [],
        }
    died = child.date_of_death
    return {
        "sex": child.sex,
        "date_of_birth": born,
        "expected_date_of_birth": None if born else child.expected_date_of_birth,
        "date_of_death": died if died is not None and died <= day else None,
        "upn": child.upn,
        "upn_unknown_reason": child.upn_unknown_reason,
        "disabilities": list(child.disabilities or []),
    }


def _episode(referral: Referral, period: CensusPeriod, plan_starts: list) -> EpisodeRecord:
    # A closure after the reference date has not happened yet as far as the census is concerned.
    closed = referral.closed_on if referral.closed_on and referral.closed_on <= period.end else None
    s47s = [_s47(s, period) for s in referral.census_s47s]
    in_return = {s.pk for s in referral.census_s47s}
    loose_icpcs = [c.held_on for c in referral.census_icpcs if c.s47_id not in in_return]
    return EpisodeRecord(
        referred_on=referral.referred_on,
        source=referral.source,
        nfa=referral.nfa,
        primary_need=_primary_need(referral, period),
        closed_on=closed,
        closure_reason=referral.closure_reason if closed else "",
        icpc_on=loose_icpcs[-1] if loose_icpcs else None,
        assessments=[
            AssessmentRecord(
                started_on=a.started_on,
                authorised_on=_by(a.authorised_on, period),
                # Factors are recorded at authorisation: one authorised after the reference
                # date is still unfinished in this return, so it carries none yet.
                factors=list(a.factors or []) if _by(a.authorised_on, period) else [],
            )
            for a in referral.census_assessments
        ],
        cin_plans=[
            CINPlanRecord(started_on=p.started_on, ended_on=_by(p.ended_on, period))
            for p in referral.census_cin_plans
        ],
        s47s=s47s,
        cp_plans=[
            CPPlanRecord(
                started_on=p.started_on,
                ended_on=_by(p.ended_on, period),
                initial_category=p.initial_category,
                latest_category=p.latest_category,
                previous_plans=sum(1 for d in plan_starts if d < p.started_on),
                reviews=[r.held_on for r in p.census_reviews],
            )
            for p in referral.census_cp_plans
        ],
    )


def _primary_need(referral: Referral, period: CensusPeriod) -> str:
    """The census needs a primary need on every referral that went on to further action
    (rule 8610); Caseflow records it when the assessment is completed, so an episode with no
    assessment finished by 31 March carries N0, the census code for "not stated". One with a
    finished assessment and no need recorded stays empty: a fault the checks report."""
    finished = any(_by(a.authorised_on, period) for a in referral.census_assessments)
    if referral.primary_need or referral.nfa or finished:
        return referral.primary_need
    return PrimaryNeed.N0


def _s47(s47: Section47Enquiry, period: CensusPeriod) -> Section47Record:
    icpc = getattr(s47, "icpc", None)
    held = icpc.held_on if icpc is not None and icpc.held_on <= period.end else None
    return Section47Record(
        started_on=s47.started_on,
        icpc_target_on=s47.icpc_due_on,
        icpc_on=held,
        icpc_not_required=s47.icpc_not_required,
    )


def _by(day, period: CensusPeriod):
    """A date on or before the reference date, else None (not yet happened at census date)."""
    return day if day is not None and day <= period.end else None

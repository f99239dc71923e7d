"""Children in care for a generated authority (generate_authority runs it after casework).

England-like rates (care.md section 4): about 27 children per 10,000 start to be looked
after each year and about 67 per 10,000 are looked after at any time, so a period of
care lasts about 2.5 years on average (many short, a long tail to 18). About a fifth of
entries come from a child protection plan (the plan ends that day, as the service ends
it); the rest from a child in need episode or directly. Placement moves, reviews, visits,
health assessments, PEPs and missing episodes follow the timescales with realistic
lateness, so the KPIs land near England's values. Rows carry the due dates the services
would store, and each gets a history row.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from care import codes
from care import permanence_generator as permanence
from care import timescales as ts
from care.adoption import legal_status_after_reversal
from care.codes import (
    YOUTH_JUSTICE,
    CategoryOfNeed,
    LegalStatus,
    NewEpisodeReason,
    PlacementProvider,
    PlacementType,
    ReasonCeased,
    ReviewParticipation,
)
from care.models import (
    Adopter,
    AdopterHousehold,
    AdoptionPlan,
    CareEpisode,
    CarePeriod,
    CareReview,
    CareVisit,
    EducationPlan,
    HealthCheck,
    MissingEpisode,
    Placement,
)
from casework.models import Allocation, Child, ChildPopulation, ChildProtectionPlan, Worker
from casework.models.organisation import CASE_HOLDING_ROLES
from casework.services.plans import LOOKED_AFTER_REASON, decide_cp_plan_end
from casework.transitions import status_after, unsaved

STARTS_PER_10K = 27
FROM_CP_PLAN = 0.2
WARMUP_YEARS = 6  # entries before the window so it opens with a stock of children in care
# A placement order (E1) is not an entry status: it comes later, on an adoption plan.
LEGAL = [(LegalStatus.C2, 50), (LegalStatus.C1, 20), (LegalStatus.V2, 25), (LegalStatus.L2, 3),
         (LegalStatus.J1, 2)]  # fmt: skip
PLACES = [(PlacementType.U6, 45), (PlacementType.U3, 15), (PlacementType.U4, 10),
          (PlacementType.K2, 12), (PlacementType.P1, 6), (PlacementType.R1, 2),
          (PlacementType.U5, 4), (PlacementType.K3, 6)]  # fmt: skip
NEED = [(CategoryOfNeed.N1, 65), (CategoryOfNeed.N2, 7), (CategoryOfNeed.N3, 3),
        (CategoryOfNeed.N4, 7), (CategoryOfNeed.N5, 13), (CategoryOfNeed.N6, 2),
        (CategoryOfNeed.N7, 1), (CategoryOfNeed.N8, 2)]  # fmt: skip
CHANGE_REASONS = ["CARPL", "CREQB", "CREQO", "CHILD", "LAREQ", "STAND", "OTHER"]
REASONS_HOME = [(ReasonCeased.E4A, 35), (ReasonCeased.E4B, 8), (ReasonCeased.E41, 10),
                (ReasonCeased.E45, 8), (ReasonCeased.E47, 6), (ReasonCeased.E13, 5),
                (ReasonCeased.E3, 4), (ReasonCeased.E8, 6)]  # fmt: skip
# At 18: staying put with the foster carers, independent living, or other.
REASONS_AT_18 = [(ReasonCeased.E17, 25), (ReasonCeased.E5, 30), (ReasonCeased.E6, 10),
                 (ReasonCeased.E8, 35)]  # fmt: skip
# A review's participation from the age of 4 (PN0 is for a child under 4).
PARTICIPATION = [ReviewParticipation.PN1, ReviewParticipation.PN1, ReviewParticipation.PN2,
                 ReviewParticipation.PN5, ReviewParticipation.PN6,
                 ReviewParticipation.PN7]  # fmt: skip
EPO_MAX_DAYS = 21  # an emergency protection order lasts at most 21 days (rule 362)


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _late(rng, due: date, on_time: float, spread: int = 20) -> date:
    if rng.random() < on_time:
        return due - timedelta(days=rng.randint(0, 6))
    return due + timedelta(days=rng.randint(1, spread))


def _duration_days(rng) -> int:
    roll = rng.random()
    if roll < 0.3:
        return rng.randint(3, 180)
    if roll < 0.6:
        return rng.randint(180, 900)
    return rng.randint(900, 4000)


class _Rows:
    def __init__(self, rng):
        self.periods, self.placements, self.episodes = [], [], []
        self.reviews, self.visits, self.health, self.peps, self.missing = [], [], [], [], []
        self.adoptions, self.leavers, self.contacts = [], [], []
        self.households, self.adopters = [], []
        self.postcodes = permanence.postcode_pools(rng)


def generate_care(*, seed: int, start: date, end: date) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 19)
    population = dict(ChildPopulation.objects.values_list("year", "population"))
    if not population:
        return {}
    entries = _entries(rng, population, start, end)
    with transaction.atomic():
        return _write(rng, entries, end)


def _entries(rng, population, start, end) -> list[tuple[int, date, int | None]]:
    """(child id, entry date, CP plan id or None), spread over the years to ``end``."""
    per_day = STARTS_PER_10K * sum(population.values()) / len(population) / 10_000 / 365.25
    first = start - relativedelta(years=WARMUP_YEARS)
    days = (end - first).days
    wanted = int(per_day * days)
    # A child comes into care on the day their plan ends: the plan's visits, core groups
    # and reviews were generated up to that day, so none falls after the plan's end.
    plans = list(
        ChildProtectionPlan.objects.current()
        .filter(started_on__gte=first, ended_on__isnull=False, ended_on__lte=end)
        .order_by("pk")
        .values_list("pk", "child_id", "started_on", "ended_on")
    )
    rng.shuffle(plans)
    chosen, used = [], set()
    for pk, child_id, started, ended in plans[: int(wanted * FROM_CP_PLAN)]:
        if (ended - started).days < 30 or child_id in used:
            continue
        used.add(child_id)
        rng.randint(30, (ended - started).days)  # as many draws as before: same later stream
        chosen.append((child_id, ended, pk))
    children = list(
        Child.objects.current().filter(date_of_birth__isnull=False)
        .exclude(pk__in=used).order_by("pk").values_list("pk", flat=True)
    )  # fmt: skip
    rng.shuffle(children)
    # The same number of entries each year (entries from plans count towards their year),
    # each on a day the child is alive and under 17.
    years = [(first + relativedelta(years=i), min(first + relativedelta(years=i + 1), end))
             for i in range(round(days / 365.25))]  # fmt: skip
    quota = {y: round(per_day * (y[1] - y[0]).days) for y in years}
    for _, entered, _ in chosen:
        for y in years:
            if y[0] <= entered < y[1]:
                quota[y] -= 1
    born = dict(Child.objects.filter(pk__in=children).values_list("pk", "date_of_birth"))
    for child_id in children:
        dob = born[child_id]
        open_years = [y for y in years if quota[y] > 0 and dob < y[1]
                      and y[0] < dob + relativedelta(years=17)]  # fmt: skip
        if not open_years:
            if not any(q > 0 for q in quota.values()):
                break
            continue
        y = rng.choice(open_years)
        lo, hi = max(y[0], dob), min(y[1], end, dob + relativedelta(years=17))
        if hi > lo:
            quota[y] -= 1
            chosen.append((child_id, lo + timedelta(days=rng.randrange((hi - lo).days)), None))
    return chosen


def _write(rng, entries, end: date) -> dict[str, int]:
    born = dict(Child.objects.filter(pk__in=[e[0] for e in entries])
                .values_list("pk", "date_of_birth"))  # fmt: skip
    workers = {}
    for child_id, worker_id in (
        Allocation.objects.current()
        .order_by("started_on", "pk")  # the latest allocation wins, ties by pk
        .values_list("child_id", "worker_id")
    ):
        workers[child_id] = worker_id
    holders = list(Worker.objects.filter(role__in=CASE_HOLDING_ROLES).order_by("pk")
                   .values_list("pk", "started_on", "left_on"))  # fmt: skip
    rows = _Rows(rng)
    ended_plans = []
    sexes = dict(Child.objects.filter(pk__in=[e[0] for e in entries]).values_list("pk", "sex"))
    for n, (child_id, entered, plan_id) in enumerate(entries):
        dob = born.get(child_id)
        if dob is None or entered < dob or entered > end:
            continue
        eighteen = dob + relativedelta(years=18)
        if entered >= eighteen - timedelta(days=30):
            continue
        worker = workers.get(child_id) or _social_worker(holders, n, entered)
        _period(rng, rows, child_id, dob, entered, eighteen, end, worker)
        permanence.identity(rng, rows.periods[-1], dob, sexes.get(child_id))
        if plan_id is not None:
            ended_plans.append((plan_id, entered))
    _end_plans(ended_plans)
    counts = Counter()
    for model, objs in (
        (CarePeriod, rows.periods), (Placement, rows.placements), (CareEpisode, rows.episodes),
        (CareReview, rows.reviews), (CareVisit, rows.visits), (HealthCheck, rows.health),
        (EducationPlan, rows.peps), (MissingEpisode, rows.missing),
        (AdopterHousehold, rows.households), (Adopter, rows.adopters),
        (AdoptionPlan, rows.adoptions), *permanence.leavers(rng, rows, born, workers, end),
    ):  # fmt: skip
        _resolve(objs)
        bulk_create_with_history(objs, model, batch_size=2000,
                                 default_change_reason="Generated authority")  # fmt: skip
        counts[model._meta.label_lower] = len(objs)
    return dict(counts)


def _social_worker(holders, entry: int, entered) -> int | None:
    """A child coming into care without an allocated worker is given one in post that day,
    drawn from the entry's own seed (the rest of the authority is drawn as before). Seeded
    by the entry's place in the drawn order, not the child's id: ids depend on what the
    database held before, and the generated authority must not."""
    in_post = [
        pk for pk, start, left in holders if start <= entered and (left is None or left > entered)
    ]
    return random.Random(f"care-worker-{entry}").choice(in_post) if in_post else None


def _change_reason(rng, finished, placed) -> str:
    if finished is None:
        return ""
    return "CARPL" if finished == placed else rng.choice(CHANGE_REASONS)


def _resolve(objs) -> None:
    """Point each row at the saved parents (bulk_create gave them primary keys)."""
    for obj in objs:
        for name in ("period", "placement", "leaver", "household", "adopters"):
            parent = obj.__dict__.get(f"_{name}_obj")
            if parent is not None:
                setattr(obj, name, parent)


def _end_plans(ended: list[tuple[int, date]]) -> None:
    """Each chosen plan ends the day the child becomes looked after (the day the casework
    generator ended it at a review), as ``cp_plan_end_on_looked_after`` ends it: the status
    is that service's own decision on the plan as it stood before (one read for all)."""
    plans = ChildProtectionPlan.objects.select_related("referral").in_bulk([p for p, _ in ended])
    for plan_id, on in ended:
        plan = plans[plan_id]
        before = {"status": status_after(ChildProtectionPlan), "started_on": plan.started_on}
        status = decide_cp_plan_end(
            unsaved(ChildProtectionPlan, before, referral=plan.referral),
            ended_on=on, reason=LOOKED_AFTER_REASON,
        )  # fmt: skip
        ChildProtectionPlan.objects.filter(pk=plan_id).update(
            status=status, ended_on=on, end_reason=LOOKED_AFTER_REASON,
            next_review_due_on=None, next_visit_due_on=None,
        )  # fmt: skip


def _period(rng, rows: _Rows, child_id, dob, entered, eighteen, end, worker_id) -> None:
    ceased = min(entered + timedelta(days=_duration_days(rng)), eighteen)
    legal = _pick(rng, LEGAL)
    if legal in YOUTH_JUSTICE and relativedelta(entered, dob).years < 10:
        legal = LegalStatus.C2  # J1-J3 only from the age of 10 (rule 358)
    adoption = permanence.adoption_journey(rng, dob, entered, legal, end)
    if adoption is not None and adoption.adopted_on is not None:
        ceased = adoption.adopted_on
    elif adoption is not None and adoption.reversed_on is not None:
        ceased = max(ceased, adoption.reversed_on + timedelta(days=rng.randint(30, 400)))
        ceased = min(ceased, eighteen)
    elif adoption is not None:
        ceased = None  # the adoption is still under way at the end of the history
    if ceased is not None and ceased > end:
        ceased = None
    period = CarePeriod(
        child_id=child_id,
        worker_id=worker_id,
        started_on=entered,
        uasc=rng.random() < 0.06 and entered - dob > timedelta(days=14 * 365),
    )
    rows.periods.append(period)
    last_day = ceased or end
    starts = [entered]
    day = entered
    while True:
        # Moves are likelier early on; a child settled after a year mostly stays put.
        settled = day - entered > timedelta(days=365)
        day += timedelta(days=int(rng.expovariate(1 / (1500 if settled else 300))) + 14)
        if day >= last_day:
            break
        starts.append(day)
    placed = adoption.placed_on if adoption is not None else None
    if placed is not None:
        starts = [d for d in starts if d < placed] + [placed]
    need = _pick(rng, NEED)
    placements, eps = [], []
    home = rng.choice(rows.postcodes.own)
    for i, begun in enumerate(starts):
        finished = starts[i + 1] if i + 1 < len(starts) else ceased
        place = _pick(rng, PLACES)
        if place == PlacementType.K3 and begun - dob < timedelta(days=16 * 365):
            place = PlacementType.U6
        if place == PlacementType.P1 and legal not in (LegalStatus.C1, LegalStatus.C2):
            place = PlacementType.U6  # placed with parents only under a care order (rule 378)
        if begun == placed:
            place = adoption.adoptive_place
        provider = (PlacementProvider.PR0 if place == PlacementType.P1 else rng.choice(
            [PlacementProvider.PR1, PlacementProvider.PR1, PlacementProvider.PR4]))  # fmt: skip
        pl = Placement(child_id=child_id, place=place, provider=provider,
                       postcode=permanence.placement_postcode(rng, rows.postcodes, place,
                                                              provider, home),
                       urn="" if place in codes.NO_URN_PLACEMENTS
                       else f"SC{rng.randint(100000, 999999)}",
                       long_term=place in (PlacementType.U1, PlacementType.U4),
                       started_on=begun, ended_on=finished,
                       reason_change=_change_reason(rng, finished, placed))  # fmt: skip
        pl._period_obj = period
        placements.append(pl)
        ep = CareEpisode(child_id=child_id, started_on=begun, ended_on=finished,
                         reason_new_episode=NewEpisodeReason.S if i == 0
                         else NewEpisodeReason.T if place == PlacementType.A5
                         else NewEpisodeReason.P,
                         legal_status=legal,
                         category_of_need=need, home_postcode=home,
                         reason_place_change=pl.reason_change)  # fmt: skip
        ep._period_obj, ep._placement_obj = period, pl
        if finished is not None and i + 1 < len(starts):
            ep.reason_ceased = ReasonCeased.X1
        eps.append(ep)
    rows.placements.extend(placements)
    if legal == LegalStatus.L2:
        permanence.legal_change(eps, entered + timedelta(
            days=rng.randint(1, EPO_MAX_DAYS)), LegalStatus.C1)  # fmt: skip
    if adoption is not None:
        rows.adoptions.append(adoption.plan(child_id, period))
        permanence.adopters_for(rows, rows.adoptions[-1])
        if adoption.placement_order_on is not None:
            permanence.legal_change(eps, adoption.placement_order_on, LegalStatus.E1)
            if adoption.reversed_on is not None:  # as adoption_reverse decides
                legal_after = legal_status_after_reversal(eps, adoption.reversed_on)
                if legal_after is not None:
                    permanence.legal_change(eps, adoption.reversed_on, legal_after)
    if ceased is not None:
        if adoption is not None and adoption.adopted_on == ceased:
            reason = rng.choice([ReasonCeased.E11, ReasonCeased.E11, ReasonCeased.E12])
        elif ceased >= eighteen:
            reason = _pick(rng, REASONS_AT_18)
        else:
            reason = _pick(rng, REASONS_HOME)
            last_place = eps[-1]._placement_obj.place
            if reason in (ReasonCeased.E45, ReasonCeased.E46) and not last_place.startswith("U"):
                # An SGO to a former foster carer needs a foster placement.
                reason = ReasonCeased.E47
        eps[-1].reason_ceased = reason
        period.cease()
        period.ended_on, period.reason_ceased = ceased, reason
    rows.episodes.extend(eps)
    _reviews(rng, rows, period, entered, last_day, dob)
    _visits(rng, rows, period, placements, last_day)
    _health_and_peps(rng, rows, period, entered, last_day, dob)
    if rng.random() < 0.1:
        previous_back = None
        # Episodes in date order, never overlapping (rule 574): one ends before the next.
        gone_days = sorted(
            entered + timedelta(days=rng.randrange(max(1, (last_day - entered).days)))
            for _ in range(rng.randint(1, 6))
        )
        for gone in gone_days:
            back = gone + timedelta(days=rng.randint(0, 3))
            if previous_back is not None and gone <= previous_back:
                continue
            previous_back = back
            if ceased is not None:
                back = min(back, ceased)  # back by the day care ends (rules 575, 577)
            m = MissingEpisode(child_id=child_id, kind=rng.choice("MMA"), started_on=gone,
                               ended_on=back if back <= last_day else None)  # fmt: skip
            if m.ended_on:
                m.return_interview_due_on = ts.return_interview_due_on(back)
                m.return_interview_offered = True
                m.return_interview_on = back + timedelta(days=rng.randint(1, 5))
                if m.return_interview_on > last_day:
                    m.return_interview_on = None
            m._period_obj = period
            rows.missing.append(m)


def _reviews(rng, rows, period, entered, last_day, dob) -> None:
    due, number = ts.first_review_due_on(entered), 1
    while due <= last_day:
        held = max(_late(rng, due, 0.88), entered)
        if held > last_day:
            break
        participation = ReviewParticipation.PN0 if relativedelta(held, dob).years < 4 else (
            rng.choice(PARTICIPATION))  # fmt: skip
        r = CareReview(child_id=period.child_id, number=number, due_on=due, held_on=held,
                       participation=participation)  # fmt: skip
        r._period_obj = period
        rows.reviews.append(r)
        due = ts.next_review_due_on(held, reviews_held=number)
        number += 1
    period.next_review_due_on = due if period.ended_on is None else None


def _visits(rng, rows, period, placements, last_day) -> None:
    due = None
    for pl in placements:
        until = pl.ended_on or last_day
        last = None
        due = ts.next_visit_due_on(pl.started_on, None, long_term=pl.long_term)
        while due <= until:
            visited = max(_late(rng, due, 0.85, spread=14), pl.started_on)
            if visited > until:
                break
            seen = rng.random() < 0.97
            v = CareVisit(child_id=period.child_id, due_on=due, visited_on=visited,
                          child_seen=seen, seen_alone=seen and rng.random() < 0.6)  # fmt: skip
            v._period_obj, v._placement_obj = period, pl
            rows.visits.append(v)
            if v.child_seen:
                last = visited
            due = ts.next_visit_due_on(pl.started_on, last, long_term=pl.long_term)
            if not v.child_seen:
                due = visited + timedelta(days=7)
    period.next_visit_due_on = due if period.ended_on is None else None


def _health_and_peps(rng, rows, period, entered, last_day, dob) -> None:
    due, kind = ts.initial_health_due_on(entered), "initial"
    while due <= last_day:
        done = max(_late(rng, due, 0.85, spread=40), entered)
        if done > last_day:
            break
        h = HealthCheck(child_id=period.child_id, kind=kind, due_on=due, done_on=done)
        h._period_obj = period
        rows.health.append(h)
        if rng.random() < 0.86:
            d = HealthCheck(child_id=period.child_id, kind="dental", done_on=done)
            d._period_obj = period
            rows.health.append(d)
        due, kind = ts.review_health_due_on(done, age=relativedelta(done, dob).years), "review"
    period.next_health_due_on = due if period.ended_on is None else None
    if relativedelta(entered, dob).years < 4:
        return
    due = ts.first_pep_due_on(entered)
    while due <= last_day:
        held = max(_late(rng, due, 0.8), entered)
        if held > last_day:
            break
        p = EducationPlan(child_id=period.child_id, due_on=due, held_on=held)
        p._period_obj = period
        rows.peps.append(p)
        due = ts.next_pep_due_on(held)
    period.next_pep_due_on = due if period.ended_on is None else None

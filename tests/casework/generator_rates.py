"""Realised rates of a generated authority, computed with plain ORM aggregates.

Kept apart from the generator on purpose: the tests check the generator's output
against the targets in issue 5 with code that shares nothing with it.
"""

from datetime import date, timedelta

from django.db.models import Count, F, Q

from casework.calendar import is_working_day, working_days_between
from casework.models import (
    Allocation,
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroup,
    Section47Enquiry,
    Visit,
    Worker,
)
from referrals.models import Contact, ContactChild, Referral

# (rate name, target, lower bound, upper bound): the band each test asserts.
TARGETS = {
    "contact_to_referral": (0.33, 0.24, 0.40),
    "children_per_contact": (1.5, 1.35, 1.65),
    "police_share": (0.195, 0.17, 0.22),
    "police_conversion": (0.44, 0.36, 0.52),
    "other_la_conversion": (0.094, 0.04, 0.16),
    "la_social_care_share": (0.19, 0.165, 0.215),
    "la_social_care_conversion": (0.5125, 0.43, 0.60),
    "schools_share": (0.0784, 0.062, 0.095),
    "schools_conversion": (0.5152, 0.43, 0.60),
    "re_referral_12m": (0.22, 0.17, 0.28),
    "referral_nfa": (0.065, 0.045, 0.085),
    "assessment_nfa": (0.50, 0.42, 0.58),
    "assessment_45wd": (0.86, 0.81, 0.91),
    "assessment_60wd_plus": (0.04, 0.015, 0.08),
    "s47_to_icpc": (0.37, 0.31, 0.44),
    "icpc_15wd": (0.80, 0.74, 0.86),
    "icpc_to_plan": (0.85, 0.79, 0.91),
    "repeat_plans": (0.24, 0.18, 0.30),
    "neg_or_emo": (0.82, 0.74, 0.90),
    "screened_in_1wd": (0.96, 0.92, 0.99),
    "unborn_children": (0.04, 0.015, 0.07),
    "agency_workers": (0.15, 0.07, 0.25),
    "plans_open_2y_plus": (0.025, 0.015, 0.04),
    "plans_ended_2y_plus": (0.044, 0.005, 0.09),
    "plans_ended_within_3m": (0.11, 0.05, 0.20),
    "first_core_group_in_10wd": (0.88, 0.80, 0.95),
    "review_on_time": (0.92, 0.85, 0.97),
    "cp_visit_gap_10wd": (0.88, 0.80, 0.95),
    "cp_visits_seen_alone": (0.65, 0.45, 0.80),
    "august_vs_mean_month": (0.76, 0.60, 0.90),
    "christmas_vs_december_working_day": (0.45, 0.32, 0.60),
}


def realised_rates(end):
    contact_children = ContactChild.objects.exclude(decision="")
    n_cc = contact_children.count()
    referred = contact_children.filter(decision="referral").count()
    contacts = Contact.objects.count()
    police = ContactChild.objects.filter(contact__source="6").exclude(decision="")
    other_la = ContactChild.objects.filter(contact__source="5C").exclude(decision="")
    referrals = Referral.objects.all()
    n_ref = referrals.count()
    authorised = Assessment.objects.filter(status="authorised")
    n_auth = authorised.count()
    s47_done = Section47Enquiry.objects.filter(status="completed")
    icpcs = ChildProtectionConference.objects.filter(kind="initial", held_on__isnull=False)
    plans = ChildProtectionPlan.objects.all()
    decided = Contact.objects.filter(decided_at__isnull=False)
    on_time = sum(
        1 for c in decided.values("decided_at", "screening_due_on")
        if c["decided_at"].date() <= c["screening_due_on"]
    )  # fmt: skip
    wd = [working_days_between(r, a) for r, a in
          authorised.values_list("referral__referred_on", "authorised_on")]  # fmt: skip
    icpc_wd = [working_days_between(s, h) for s, h in
               icpcs.values_list("s47__started_on", "held_on")]  # fmt: skip
    holders = Worker.objects.filter(role__in=["social_worker", "senior_practitioner"])
    return {
        **_protection_rates(end),
        **_contact_rates(),
        "contact_to_referral": referred / n_cc,
        "children_per_contact": ContactChild.objects.count() / contacts,
        "police_share": Contact.objects.filter(source="6").count() / contacts,
        "police_conversion": police.filter(decision="referral").count() / police.count(),
        "other_la_conversion": other_la.filter(decision="referral").count() / other_la.count(),
        **_source_rates("5A", "la_social_care", contacts),
        **_source_rates("2A", "schools", contacts),
        "re_referral_12m": _re_referrals(referrals) / n_ref,
        "referral_nfa": referrals.filter(nfa=True).count() / n_ref,
        "assessment_nfa": authorised.filter(outcome__in=["nfa"]).count() / n_auth,
        "assessment_45wd": sum(1 for x in wd if x <= 45) / len(wd),
        "assessment_60wd_plus": sum(1 for x in wd if x > 60) / len(wd),
        "s47_to_icpc": s47_done.filter(outcome="icpc").count() / s47_done.count(),
        "icpc_15wd": sum(1 for x in icpc_wd if x <= 15) / len(icpc_wd),
        "icpc_to_plan": icpcs.filter(outcome="plan").count() / icpcs.count(),
        "repeat_plans": _repeat_plans(plans) / plans.count(),
        "neg_or_emo": plans.filter(initial_category__in=["NEG", "EMO"]).count() / plans.count(),
        "screened_in_1wd": on_time / decided.count(),
        # Recorded unborn: a birth later replaces the expected date on the record itself.
        "unborn_children": Child.history.filter(
            history_type="+", expected_date_of_birth__isnull=False
        )
        .values("id")
        .distinct()
        .count()
        / Child.objects.count(),
        "agency_workers": holders.filter(employment="agency").count() / holders.count(),
    }


def _protection_rates(end):
    plans = ChildProtectionPlan.objects.all()
    active = plans.filter(ended_on__isnull=True)
    ended = plans.filter(ended_on__isnull=False)
    lengths = [(e - s).days for s, e in ended.values_list("started_on", "ended_on")]
    core = [
        working_days_between(p, h)
        for p, h in CoreGroup.objects.filter(due_on=F("plan__first_core_group_due_on")).values_list(
            "plan__started_on", "held_on"
        )
    ]
    reviews = ChildProtectionConference.objects.filter(kind="review", held_on__isnull=False)
    gaps, previous = [], None
    for plan_id, day in (
        Visit.objects.filter(kind="cp").order_by("cp_plan_id", "visited_on")
        .values_list("cp_plan_id", "visited_on")
    ):  # fmt: skip
        if previous and previous[0] == plan_id:
            gaps.append(working_days_between(previous[1], day))
        previous = (plan_id, day)
    cp_visits = Visit.objects.filter(kind="cp", child_seen=True)
    return {
        "plans_open_2y_plus": sum(
            1 for (s,) in active.values_list("started_on") if (end - s).days >= 730
        )
        / max(1, active.count()),
        "plans_ended_2y_plus": sum(1 for x in lengths if x >= 730) / len(lengths),
        "plans_ended_within_3m": sum(1 for x in lengths if x < 92) / len(lengths),
        "first_core_group_in_10wd": sum(1 for x in core if x <= 10) / len(core),
        "review_on_time": reviews.filter(held_on__lte=F("due_on")).count() / reviews.count(),
        "cp_visit_gap_10wd": sum(1 for g in gaps if g <= 10) / len(gaps),
        "cp_visits_seen_alone": cp_visits.filter(seen_alone=True).count() / cp_visits.count(),
    }


def _source_rates(code: str, name: str, contacts: int) -> dict:
    """Seed 004's table: a source's share of contacts and its children's conversion."""
    decided = ContactChild.objects.filter(contact__source=code).exclude(decision="")
    return {
        f"{name}_share": Contact.objects.filter(source=code).count() / contacts,
        f"{name}_conversion": decided.filter(decision="referral").count() / decided.count(),
    }


def _is_christmas(day) -> bool:
    return (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1)


def _contact_rates():
    by_month = dict.fromkeys(range(1, 13), 0)
    # Contacts per working day, 24 December to 1 January against the rest of December.
    christmas, december = [0, set()], [0, set()]
    for (received,) in Contact.objects.values_list("received_at"):
        by_month[received.month] += 1
        day = received.date()
        if (day.month == 12 or _is_christmas(day)) and is_working_day(day):
            bucket = christmas if _is_christmas(day) else december
            bucket[0] += 1
            bucket[1].add(day)
    per_day = [n / max(1, len(days)) for n, days in (christmas, december)]
    return {
        "august_vs_mean_month": by_month[8] / (sum(by_month.values()) / 12),
        "christmas_vs_december_working_day": per_day[0] / max(per_day[1], 1e-9),
    }


def _re_referrals(referrals) -> int:
    by_child: dict[int, list] = {}
    for child_id, day in referrals.order_by("child_id", "referred_on").values_list(
        "child_id", "referred_on"
    ):
        by_child.setdefault(child_id, []).append(day)
    count = 0
    for days in by_child.values():
        for previous, current in zip(days, days[1:], strict=False):
            if current - previous <= timedelta(days=365):
                count += 1
    return count


def _repeat_plans(plans) -> int:
    starts: dict[int, list] = {}
    for child_id, day in plans.order_by("child_id", "started_on").values_list(
        "child_id", "started_on"
    ):
        starts.setdefault(child_id, []).append(day)
    return sum(len(days) - 1 for days in starts.values())


def caseloads(end):
    """Open allocated children per case-holding worker active on the end date."""
    open_allocs = (
        Allocation.objects.filter(ended_on__isnull=True, referral__status="open")
        .values("worker_id")
        .annotate(n=Count("id"))
    )
    loads = {row["worker_id"]: row["n"] for row in open_allocs}
    holders = Worker.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end),
        role__in=["social_worker", "senior_practitioner"],
        started_on__lte=end,
    ).exclude(team__service_area="front_door")
    return [loads.get(w.pk, 0) for w in holders], {
        w.pk: loads.get(w.pk, 0) for w in holders.filter(newly_qualified=True)
    }


def unallocated_open():
    open_referrals = Referral.objects.filter(status="open")
    allocated = Allocation.objects.filter(ended_on__isnull=True).values("referral_id")
    return open_referrals.exclude(pk__in=allocated).count(), open_referrals.count()


# England, year to 31 March 2025 (DfE "Children in need", domain.md): the band a realistic
# authority sits in, per 10,000 children aged 0-17. Looked after: DfE "Children looked
# after", 2024-25 (about 70 per 10,000, councils from about 25 to over 150).
ENGLAND_PER_10K = {
    "referrals": (300, 900),
    "s47s": (100, 320),
    "cin_at_31_march": (250, 550),
    "cp_at_31_march": (25, 80),
    "cla_at_31_march": (25, 160),
}


def rates_per_10k(fy_start_year: int) -> dict[str, float]:
    """England's published rates for the financial year starting 1 April ``fy_start_year``:
    referrals and s47s started in the year, children in need (an open episode or looked
    after, each child once), on a CP plan and looked after at 31 March."""
    from care.models import CarePeriod
    from casework.models import ChildPopulation

    first, last = date(fy_start_year, 4, 1), date(fy_start_year + 1, 3, 31)
    population = ChildPopulation.objects.get(year=fy_start_year).population

    def open_at(model, start, end, **live):
        return model.objects.filter(
            Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": last}),
            **{f"{start}__lte": last},
            **live,
        ).values_list("child_id", flat=True)

    episodes = set(open_at(Referral, "referred_on", "closed_on", entered_in_error=False))
    looked_after = set(open_at(CarePeriod, "started_on", "ended_on", entered_in_error=False))
    on_plan = set(open_at(ChildProtectionPlan, "started_on", "ended_on", entered_in_error=False))
    counts = {
        "referrals": Referral.objects.filter(
            referred_on__range=(first, last), entered_in_error=False
        ).count(),
        "s47s": Section47Enquiry.objects.filter(
            started_on__range=(first, last), entered_in_error=False
        ).count(),
        "cin_at_31_march": len(episodes | looked_after),
        "cp_at_31_march": len(on_plan),
        "cla_at_31_march": len(looked_after),
    }
    return {name: round(n * 10_000 / population, 1) for name, n in counts.items()}

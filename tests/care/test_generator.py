"""The generated authority's children in care: a valid SSDA903 episode chain and KPIs near
England's (care.md section 4), from one tiny authority."""

import random
from datetime import date

import pytest

from care import generator as care_generator
from care.models import AdoptionPlan, CareEpisode, CarePeriod
from casework.models import ChildProtectionPlan
from casework.services.plans import LOOKED_AFTER_REASON
from metrics import periods as P
from metrics import services
from metrics.models import KpiSnapshot
from tests.support.shared_authority import generated_authority

pytestmark = pytest.mark.django_db
END = date(2025, 6, 30)


@pytest.fixture(scope="module")
def tiny(django_db_setup, django_db_blocker):
    """One authority for the module's tests, which only read it; rolled back afterwards."""
    with generated_authority(django_db_blocker, seed=3, end=END):
        services.kpi_snapshots_compute(periods=[P.parse("FY2024-25")], today=END)
        yield


def _value(code):
    return float(
        KpiSnapshot.objects.get(kpi=code, period="FY2024-25", scope_type="authority").value
    )


def test_generated_children_in_care_land_near_englands_figures(tiny):
    assert 40 <= _value("rate_cla_per_10k") <= 100  # England 67
    starts_per_10k = _value("cla_started") * 10_000 / 7968
    assert 10 <= starts_per_10k <= 45  # England about 27
    # England 69%. The tiny authority has about 26 under-16s looked after 2.5 years or
    # more, so the 95% spread of a share is about +/-19 points around the generator's own.
    assert 35 <= _value("cla_long_term_stability") <= 90
    assert _value("cla_placements_3plus") <= 25
    for code in ("cla_reviews_in_time", "cla_visits_in_time", "cla_health_assessments_in_time",
                 "cla_pep_in_time"):  # fmt: skip
        assert 70 <= _value(code) < 100, code  # mostly in time, with a realistic tail


def test_every_period_is_an_unbroken_chain_of_episodes(tiny):
    periods = CarePeriod.objects.prefetch_related("episodes__placement")
    assert periods.count() > 50
    for period in periods:
        chain = sorted(period.episodes.all(), key=lambda e: e.started_on)
        assert chain[0].reason_new_episode == "S" and chain[0].started_on == period.started_on
        assert chain[0].placement.place[0] != "T"
        for before, after in zip(chain, chain[1:], strict=False):
            assert (before.reason_ceased, before.ended_on) == ("X1", after.started_on)
        assert chain[-1].ended_on == period.ended_on
        if period.ended_on:
            assert chain[-1].reason_ceased == period.reason_ceased != "X1"
        else:
            assert period.next_review_due_on and period.next_visit_due_on


def test_entries_from_a_plan_end_the_plan_that_day(tiny):
    ended = ChildProtectionPlan.objects.filter(end_reason=LOOKED_AFTER_REASON)
    assert ended.exists()
    for plan in ended:
        assert CarePeriod.objects.filter(child_id=plan.child_id, started_on=plan.ended_on).exists()
    assert not CareEpisode.objects.filter(started_on__gt=END).exists()


def _after_reversal_as_the_service_decides(plan, chain) -> None:
    """From the reversal the child is no longer under the placement order (E1): the legal
    status is the one adoption_reverse's decision gives (held before the order, C2 if none)."""
    before = [e for e in chain if e.started_on < plan.reversed_on]
    after = [e for e in chain if e.started_on >= plan.reversed_on]
    assert before[-1].legal_status == "E1"  # under the order until the reversal
    assert after and after[0].started_on == plan.reversed_on
    assert [e.legal_status for e in after if e.legal_status == "E1"] == []
    held = [e.legal_status for e in before if e.legal_status != "E1"]
    assert after[0].legal_status == (held[-1] if held else "C2")


def test_generated_reversed_adoptions_leave_the_placement_order(tiny):
    # The tiny authority has few reversals (often none): its own, then the generator's own
    # periods for young children coming into care on a care order.
    for plan in AdoptionPlan.objects.filter(
        reversed_on__isnull=False, placement_order_on__isnull=False
    ).select_related("period"):
        _after_reversal_as_the_service_decides(plan, list(
            plan.period.episodes.order_by("started_on", "pk")))  # fmt: skip
    # Draws (seeds) whose period has a placement order then a reversal, two of them for a
    # child on an interim care order (C1), who goes back to C1, not C2.
    back_to = []
    for seed in (7, 79, 88, 329):
        rng = random.Random(seed)
        rows = care_generator._Rows(random.Random(0))  # its own draws: the seed is the period's
        care_generator._period(rng, rows, 1, date(2020, 5, 1), date(2020, 9, 1),
                               date(2038, 5, 1), END, None)  # fmt: skip
        (plan,) = rows.adoptions
        assert plan.reversed_on is not None and plan.placement_order_on is not None, seed
        _after_reversal_as_the_service_decides(plan, rows.episodes)
        back_to.append(next(e.legal_status for e in rows.episodes
                            if e.started_on >= plan.reversed_on))  # fmt: skip
    assert back_to == ["C2", "C1", "C2", "C1"]

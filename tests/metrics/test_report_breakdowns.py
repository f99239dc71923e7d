"""Issue 23's report breakdowns: each one's total is its KPI's denominator."""

from datetime import date
from decimal import Decimal

import pytest

from casework.models import ChildProtectionPlan
from metrics import report_breakdowns as RB
from tests.metrics import builders as b
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db

START, END = date(2024, 4, 1), date(2025, 3, 31)


def test_contacts_by_source_and_outcome_count_children_and_those_progressed():
    b.authority()
    police = b.contact(b.at(date(2024, 6, 3)), [b.child(), b.child()], source="6",
                       decided=b.at(date(2024, 6, 3), 15))  # fmt: skip
    first = police.children.order_by("pk").first()
    first.decision = "referral"
    first.save()
    b.referral(first.child, date(2024, 6, 3), contact_child=first)
    b.contact(b.at(date(2024, 6, 4)), [b.child()], source="3A")
    rows = {r["code"]: r for r in RB.contacts_by_source(START, END)}
    assert (rows["6"]["children"], rows["6"]["progressed"]) == (2, 1)
    assert rows["6"]["progressed_percent"] == Decimal("50.0")
    assert rows["3A"]["children"] == 1 and rows["3A"]["progressed"] == 0
    outcomes = {r["code"]: r["children"] for r in RB.contact_outcomes(START, END)}
    assert (outcomes["referral"], outcomes["nfa"], outcomes["-"]) == (1, 1, 1)
    assert sum(outcomes.values()) == figure("contact_conversion", "FY2024-25")[1] == 3


def test_icpc_working_days_fall_in_the_seed_bands_across_easter():
    b.authority()
    # Strategy discussions Wednesday 20 March 2024; 15 working days is Friday 12 April.
    for held in (date(2024, 4, 12), date(2024, 4, 15), date(2024, 5, 20)):
        b.icpc(b.s47(b.referral(b.child(), date(2024, 3, 20)), date(2024, 3, 20)), held)
    rows = {r["band"]: r["count"] for r in RB.icpc_days(START, END)}
    assert rows["11-15"] == 1 and rows["16-20"] == 1 and rows["31 or more"] == 1
    assert sum(rows.values()) == figure("icpc_15wd", "FY2024-25")[1]


def test_repeat_plans_by_time_since_the_previous_plan_ended():
    b.authority()
    soon, later, first = b.child(), b.child(), b.child()
    b.cp_plan(soon, date(2024, 1, 8), ended_on=date(2024, 3, 1))
    b.cp_plan(soon, date(2024, 6, 3))  # 3 months after: within 6 months
    b.cp_plan(later, date(2020, 1, 6), ended_on=date(2021, 1, 4))
    b.cp_plan(later, date(2024, 6, 3))  # over 3 years after
    b.cp_plan(first, date(2024, 6, 4))
    rows = {r["band"]: r["count"] for r in RB.repeat_plans_by_time_since_last(START, END)}
    assert rows["Within 6 months"] == 1 and rows["2 to 5 years"] == 1
    assert rows["First plan"] == 1 and sum(rows.values()) == 3


def test_children_on_a_plan_by_current_category_is_a_stock_at_the_date():
    b.authority()
    changed = b.cp_plan(b.child(), date(2024, 1, 8))
    ChildProtectionPlan.objects.filter(pk=changed.pk).update(latest_category="EMO")
    b.cp_plan(b.child(), date(2024, 5, 1))  # NEG
    b.cp_plan(b.child(), date(2023, 5, 1), ended_on=date(2024, 6, 28))  # ended before
    rows = {r["code"]: r["children"] for r in RB.children_on_plans_by_category(date(2024, 6, 30))}
    assert rows["EMO"] == 1 and rows["NEG"] == 1 and sum(rows.values()) == 2
    assert sum(rows.values()) == figure("rate_cp_per_10k", "2024-06")[0]


def test_a_category_changed_mid_year_counts_as_it_was_at_each_quarter_end():
    """The plan's history gives the category in force: NEG at 30 June, EMO from the
    November review on, whatever the plan's latest category says now."""
    import time_machine
    from django.utils import timezone

    from metrics import periods as P
    from metrics import report

    b.authority()
    with time_machine.travel(b.at(date(2024, 4, 10)), tick=False):
        changed = b.cp_plan(b.child(), date(2024, 4, 10))
    with time_machine.travel(b.at(date(2024, 11, 5)), tick=False):
        changed.latest_category = "EMO"
        changed.save()
    assert changed.history.count() == 2 and timezone.now().year > 2024

    def on_plan(at):
        return {r["code"]: r["children"] for r in RB.children_on_plans_by_category(at)}

    assert on_plan(date(2024, 6, 30))["NEG"] == 1 and on_plan(date(2024, 6, 30))["EMO"] == 0
    assert on_plan(date(2024, 9, 30))["NEG"] == 1
    assert on_plan(date(2024, 12, 31))["EMO"] == 1 and on_plan(date(2024, 12, 31))["NEG"] == 0
    table = next(t for t in report.further_breakdowns(P.parse("FY2024-25"))
                 if t.title == "On a plan by current category")  # fmt: skip
    rows = {row[0]: row[2:] for row in table.rows}
    assert rows["NEG"] == [1, 1, 0, 0] and rows["EMO"] == [0, 0, 1, 1]

from datetime import date

import pytest

from metrics import periods as P


@pytest.mark.parametrize(
    ("name", "start", "end", "kind"),
    [
        ("FY2024-25", date(2024, 4, 1), date(2025, 3, 31), P.FINANCIAL_YEAR),
        ("2024-Q1", date(2024, 4, 1), date(2024, 6, 30), P.QUARTER),
        ("2024-Q3", date(2024, 10, 1), date(2024, 12, 31), P.QUARTER),
        ("2024-Q4", date(2025, 1, 1), date(2025, 3, 31), P.QUARTER),
        ("2024-11", date(2024, 11, 1), date(2024, 11, 30), P.MONTH),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), P.MONTH),
        ("R12-2025-03", date(2024, 4, 1), date(2025, 3, 31), P.ROLLING_12),
        ("R12-2024-02", date(2023, 3, 1), date(2024, 2, 29), P.ROLLING_12),
        ("YTD-2024-11", date(2024, 4, 1), date(2024, 11, 30), P.YEAR_TO_DATE),
        ("YTD-2025-02", date(2024, 4, 1), date(2025, 2, 28), P.YEAR_TO_DATE),
    ],
)
def test_a_period_name_parses_to_its_inclusive_range_and_formats_back(name, start, end, kind):
    period = P.parse(name)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert str(period) == name


@pytest.mark.parametrize("name", ["FY2024-26", "2024-Q5", "2024-13", "R12-2025", "", "fy2024-25"])
def test_a_malformed_period_name_is_refused_with_the_message(name):
    with pytest.raises(P.PeriodError, match=P.PERIOD_NAME_INVALID):
        P.parse(name)


@pytest.mark.parametrize(
    ("name", "previous"),
    [
        ("2024-04", "2024-03"),
        ("2025-01", "2024-12"),
        ("2024-Q1", "2023-Q4"),
        ("2024-Q4", "2024-Q3"),
        ("FY2024-25", "FY2023-24"),
        ("R12-2025-03", "R12-2025-02"),
        ("YTD-2024-11", "YTD-2023-11"),
    ],
)
def test_the_previous_period_is_the_one_to_compare_against(name, previous):
    assert P.parse(name).previous().name == previous


def test_a_quarter_crossing_into_the_new_calendar_year_belongs_to_the_financial_year():
    assert P.quarter_containing(date(2025, 3, 31)).name == "2024-Q4"
    assert P.quarter_containing(date(2025, 4, 1)).name == "2025-Q1"


def test_adding_months_clamps_to_the_month_end_on_leap_days():
    assert P.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert P.add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)
    assert P.add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_standard_periods_cover_each_month_with_its_year_quarter_and_rolling_year():
    names = {p.name for p in P.standard_periods(date(2025, 3, 5), date(2025, 4, 20))}
    assert names == {
        "2025-03", "2025-04", "R12-2025-03", "R12-2025-04", "YTD-2025-03", "YTD-2025-04",
        "2024-Q4", "2025-Q1", "FY2024-25", "FY2025-26",
    }  # fmt: skip


def test_a_backdated_date_affects_every_period_ending_on_or_after_it():
    periods = P.standard_periods(date(2024, 1, 1), date(2024, 12, 1))
    affected = {p.name for p in P.periods_affected_by(date(2024, 11, 15), periods)}
    assert "2024-11" in affected and "2024-12" in affected and "FY2024-25" in affected
    assert "2024-10" not in affected and "2024-Q2" not in affected

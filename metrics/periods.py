"""Reporting periods and their names (a contract: exports, the API and URLs use them).

    FY2024-25      financial year, 1 April 2024 to 31 March 2025
    2024-Q3        quarter 3 of FY2024-25: Q1 = Apr-Jun, Q2 = Jul-Sep, Q3 = Oct-Dec 2024,
                   Q4 = Jan-Mar 2025 (the year is the financial year's first year)
    2024-11        calendar month
    R12-2025-03    rolling 12 months ending with March 2025 (1 April 2024 to 31 March 2025)
    YTD-2024-11    financial year to date: 1 April 2024 to 30 November 2024

Start and end dates are inclusive. Every period ends on a month end, so values "at the
period end" (children on a plan, caseloads) are taken on that date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTH = "month"
QUARTER = "quarter"
FINANCIAL_YEAR = "fy"
YEAR_TO_DATE = "ytd"
ROLLING_12 = "r12"
KINDS = (MONTH, QUARTER, YEAR_TO_DATE, FINANCIAL_YEAR, ROLLING_12)

PERIOD_NAME_INVALID = "Enter a period like FY2024-25, 2024-Q3, 2024-11, R12-2025-03 or YTD-2024-11"

_PATTERNS = {
    FINANCIAL_YEAR: re.compile(r"^FY(\d{4})-(\d{2})$"),
    QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    ROLLING_12: re.compile(r"^R12-(\d{4})-(\d{2})$"),
    YEAR_TO_DATE: re.compile(r"^YTD-(\d{4})-(\d{2})$"),
}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: str
    name: str

    def __str__(self) -> str:
        return self.name

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[date]:
        """First days of the calendar months the period covers."""
        out, day = [], self.start
        while day <= self.end:
            out.append(day)
            day = add_months(day, 1)
        return out

    def previous(self) -> Period:
        """The period to compare against for direction of travel.

        Month, quarter, year and rolling year: the one immediately before. Year to date:
        the same months of the previous financial year (like with like).
        """
        if self.kind == MONTH:
            return month(add_months(self.start, -1))
        if self.kind == QUARTER:
            return quarter_containing(add_months(self.start, -3))
        if self.kind == FINANCIAL_YEAR:
            return financial_year(self.start.year - 1)
        if self.kind == ROLLING_12:
            return rolling_12(add_months(self.end.replace(day=1), -1))
        return year_to_date(add_months(self.end.replace(day=1), -12))


def add_months(day: date, n: int) -> date:
    """``day`` moved by n calendar months, clamped to the month end (29 Feb + 12 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + n
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def fy_start_year(day: date) -> int:
    """The financial year (named by its first year) containing ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def month(day: date) -> Period:
    first = day.replace(day=1)
    return Period(first, month_end(first), MONTH, f"{first:%Y-%m}")


def financial_year(start_year: int) -> Period:
    name = f"FY{start_year}-{(start_year + 1) % 100:02d}"
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), FINANCIAL_YEAR, name)


def quarter(start_year: int, number: int) -> Period:
    first = add_months(date(start_year, 4, 1), 3 * (number - 1))
    return Period(first, month_end(add_months(first, 2)), QUARTER, f"{start_year}-Q{number}")


def quarter_containing(day: date) -> Period:
    fy = fy_start_year(day)
    months_in = (day.year * 12 + day.month) - (fy * 12 + 4)
    return quarter(fy, months_in // 3 + 1)


def rolling_12(last_month: date) -> Period:
    end = month_end(last_month)
    start = add_months(end.replace(day=1), -11)
    return Period(start, end, ROLLING_12, f"R12-{end:%Y-%m}")


def year_to_date(last_month: date) -> Period:
    end = month_end(last_month)
    start = date(fy_start_year(end), 4, 1)
    return Period(start, end, YEAR_TO_DATE, f"YTD-{end:%Y-%m}")


def parse(name: str) -> Period:
    """The period a name stands for; raises PeriodError with PERIOD_NAME_INVALID."""
    name = (name or "").strip()
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(name)
        if not match:
            continue
        a, b = int(match.group(1)), int(match.group(2))
        try:
            if kind == FINANCIAL_YEAR:
                if (a + 1) % 100 != b:
                    break
                return financial_year(a)
            if kind == QUARTER:
                return quarter(a, b)
            first = date(a, b, 1)
        except ValueError:
            break
        return {MONTH: month, ROLLING_12: rolling_12, YEAR_TO_DATE: year_to_date}[kind](first)
    raise PeriodError(PERIOD_NAME_INVALID)


def standard_periods(first_month: date, last_month: date) -> list[Period]:
    """Every period the nightly job keeps: each month from first_month to last_month,
    with its rolling year and year to date, and each quarter and financial year
    overlapping that range."""
    periods: dict[str, Period] = {}
    day = first_month.replace(day=1)
    while day <= last_month:
        for period in (
            month(day),
            rolling_12(day),
            year_to_date(day),
            quarter_containing(day),
            financial_year(fy_start_year(day)),
        ):
            periods[period.name] = period
        day = add_months(day, 1)
    return sorted(periods.values(), key=lambda p: (p.end, p.start, p.kind))


def periods_affected_by(day: date, periods: list[Period]) -> list[Period]:
    """Periods whose figures a record dated ``day`` can change.

    Flows (events in a period) change only in periods containing the day; stock figures
    (children on a plan at the period end, caseloads) change at every later period end,
    so every period ending on or after the day is recomputed.
    """
    return [p for p in periods if p.end >= day]

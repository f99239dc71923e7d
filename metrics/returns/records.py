"""One census child as plain data: what the XML holds, what the checks read, what import loads.

Field names follow the census items (domain.md section 5; DfE CIN census specification), in
Python spelling. Dates are ``datetime.date``; codes are the census codes Caseflow stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

# The census has carried <Sex> M/F/U since 2024-25 (the 2025 return; rule 4180), as Caseflow
# stores it. Returns for 2024 and earlier carry <GenderCurrent> 1 male, 2 female, 0 not known
# (unborn), as their rulesets (4180 "Gender is missing", 8750 "Gender must equal 0") expect.
FIRST_SEX_YEAR = 2025
SEXES = ("M", "F", "U")
GENDER_TO_CENSUS = {"M": "1", "F": "2", "U": "0"}
GENDER_FROM_CENSUS = {"1": "M", "2": "F", "0": "U", "9": "U"}


@dataclass(frozen=True)
class CensusPeriod:
    """The census year ending 31 March ``year``: 1 April of the previous year to 31 March."""

    year: int

    @property
    def start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year, 3, 31)

    @property
    def reference_date(self) -> date:
        return self.end

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """True when [start, end] (end None = still open) touches the census year."""
        if start is None or start > self.end:
            return False
        return end is None or end >= self.start

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass
class AssessmentRecord:
    started_on: date
    authorised_on: date | None = None
    factors: list[str] = field(default_factory=list)


@dataclass
class CINPlanRecord:
    started_on: date
    ended_on: date | None = None


@dataclass
class Section47Record:
    started_on: date
    icpc_target_on: date | None = None
    icpc_on: date | None = None
    icpc_not_required: bool = False


@dataclass
class CPPlanRecord:
    started_on: date
    ended_on: date | None = None
    initial_category: str = ""
    latest_category: str = ""
    previous_plans: int = 0
    reviews: list[date] = field(default_factory=list)


@dataclass
class EpisodeRecord:
    """A CINdetails module: one referral and what happened in it during the census year."""

    referred_on: date
    source: str
    nfa: bool = False
    primary_need: str = ""
    closed_on: date | None = None
    closure_reason: str = ""
    # An ICPC whose section 47 enquiry is not in this return (CINdetails-level date).
    icpc_on: date | None = None
    assessments: list[AssessmentRecord] = field(default_factory=list)
    cin_plans: list[CINPlanRecord] = field(default_factory=list)
    s47s: list[Section47Record] = field(default_factory=list)
    cp_plans: list[CPPlanRecord] = field(default_factory=list)

    def icpc_dates(self) -> set[date]:
        dates = {s.icpc_on for s in self.s47s if s.icpc_on}
        if self.icpc_on:
            dates.add(self.icpc_on)
        return dates


@dataclass
class ChildRecord:
    la_child_id: str
    sex: str = "U"
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    date_of_death: date | None = None
    upn: str = ""
    upn_unknown_reason: str = ""
    ethnicity: str = "NOBT"
    disabilities: list[str] = field(default_factory=list)
    episodes: list[EpisodeRecord] = field(default_factory=list)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None


def weeks_before(day: date, weeks: int) -> date:
    return day - timedelta(weeks=weeks)

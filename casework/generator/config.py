"""Scales and the rates the synthetic authority is tuned to (issue 5, domain.md, seeds).

Every probability here is a target a test checks (tests/casework/test_generator.py) or
a shape the seed reports describe; the comment on each says where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

# Census codes by the names the services, importer and exporter use, not as literals.
from casework.codes import AbuseCategory, ClosureReason, ReferralSource
from referrals.models import ScreeningDecision


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    # Children on contacts per year: KPIs count children, not families (domain.md 4). With
    # sibling groups and re-contacts, 1,000 children come on about 707 contacts, so the
    # issue's contact volumes are set here as contacts / 0.707.
    contacts_per_year: int
    teams: dict[str, int]
    population: int  # children aged 0-17 (rates per 10,000)


SCALES = {
    "tiny": Scale("tiny", 1, 1_500, {"front_door": 1, "assessment": 1, "safeguarding": 1}, 8_000),
    "demo": Scale(
        "demo",
        3,
        21_200,  # ~15,000 contacts a year
        {"front_door": 1, "assessment": 2, "safeguarding": 2, "cin": 1},
        # England's rates per 10,000 (domain.md: 300-900 referrals, 100-320 s47s, 25-80
        # CP): these volumes need a county-sized child population. 50,000 gave 2-4 times
        # England's rates (referrals 1,743, s47 356, CP 106 per 10,000).
        150_000,
    ),
    "medium": Scale(
        "medium",
        10,
        20_000,
        {"front_door": 1, "assessment": 3, "safeguarding": 3, "cin": 2},
        65_000,
    ),
    "large": Scale(
        "large",
        10,
        141_500,  # ~100,000 contacts a year, ~1,000,000 in all
        {"front_door": 6, "assessment": 20, "safeguarding": 20, "cin": 14},
        300_000,
    ),
}

# Contact sources: seed 004 (Herefordshire, Dec 2014) gives the five largest shares and
# their conversion to referral; the remaining ~31.6% is spread over the other census codes.
# (code, share of contacts, probability the contact becomes a referral)
SOURCES = [
    (ReferralSource.POLICE, 0.1948, 0.439),  # police
    (ReferralSource.LA_SOCIAL_CARE, 0.1900, 0.5125),  # LA social care
    (ReferralSource.OTHER_LA, 0.1259, 0.0943),  # another LA's services
    (ReferralSource.GP, 0.0150, 0.45),  # health (9.5% in all)
    (ReferralSource.HEALTH_VISITOR, 0.0200, 0.45),
    (ReferralSource.SCHOOL_NURSE, 0.0100, 0.45),
    (ReferralSource.PRIMARY_HEALTH_OTHER, 0.0100, 0.45),
    (ReferralSource.A_AND_E, 0.0200, 0.45),
    (ReferralSource.HEALTH_OTHER, 0.0200, 0.45),
    (ReferralSource.SCHOOLS, 0.0784, 0.5152),  # schools
    (ReferralSource.FAMILY, 0.0800, 0.22),
    (ReferralSource.ACQUAINTANCE, 0.0200, 0.12),
    (ReferralSource.SELF, 0.0100, 0.25),
    (ReferralSource.INDIVIDUAL_OTHER, 0.0100, 0.08),
    (ReferralSource.EDUCATION_SERVICES, 0.0200, 0.30),
    (ReferralSource.HOUSING, 0.0200, 0.20),
    (ReferralSource.LA_OTHER_INTERNAL, 0.0300, 0.25),
    (ReferralSource.EARLY_HELP, 0.0400, 0.40),
    (ReferralSource.LEGAL_AGENCY, 0.0300, 0.25),
    (ReferralSource.OTHER, 0.0350, 0.15),
    (ReferralSource.ANONYMOUS, 0.0150, 0.06),
    (ReferralSource.UNKNOWN, 0.0059, 0.06),
]
# Known families (re-contacts) are more likely to be referred again.
KNOWN_FAMILY_CONVERSION_FACTOR = 1.25
PREVIOUS_PLAN_CONVERSION = 0.75  # a child who has had a plan is referred again
NOT_REFERRED = [
    (ScreeningDecision.NFA, 0.35),
    (ScreeningDecision.ADVICE, 0.35),
    (ScreeningDecision.EARLY_HELP, 0.30),
]

# Children per contact: sibling groups are common (seed 004); mean ~1.5.
CHILDREN_PER_CONTACT = [(1, 0.70), (2, 0.20), (3, 0.07), (4, 0.02), (5, 0.01)]
UNBORN_SHARE = 0.04  # of new children: pre-birth referrals

# Seasonality (seeds 001, 004: fewer contacts in school holidays and December).
MONTH_WEIGHT = {
    1: 1.0, 2: 1.03, 3: 1.08, 4: 0.95, 5: 1.05, 6: 1.08,
    7: 1.04, 8: 0.76, 9: 1.0, 10: 1.08, 11: 1.08, 12: 0.88,
}  # fmt: skip
CHRISTMAS_WEIGHT = 0.45  # 24 December to 1 January
NON_WORKING_DAY_WEIGHT = 0.22  # police and hospitals still send contacts at weekends

# Screening: decision within 1 working day for most contacts (seed 003: 99.65%).
SCREENED_SAME_DAY = 0.55
SCREENED_LATE = 0.04

REFERRAL_NFA = 0.065  # seed 001/004: ~6.5% of referrals end NFA at referral

# Assessment outcomes (seed 001: 52% led to no further involvement).
ASSESSMENT_OUTCOMES = [
    ("strategy_discussion", 0.21),
    ("nfa", 0.53),
    ("early_help", 0.09),
    ("cin_plan", 0.15),
    ("other", 0.02),
]
ASSESSMENT_OUTCOMES_PREVIOUS_PLAN = [
    ("strategy_discussion", 0.60),
    ("nfa", 0.22),
    ("early_help", 0.04),
    ("cin_plan", 0.12),
    ("other", 0.02),
]
# Working days from referral to authorisation: ~86% within 45 (national 85.7%, 2025),
# with a tail beyond 60 (seed 004: "61+ working days").
AUTHORISATION_WD = [((8, 25), 0.30), ((26, 38), 0.32), ((39, 45), 0.24), ((46, 60), 0.10),
                    ((61, 95), 0.04)]  # fmt: skip
ASSESSMENT_RETURNED = 0.07

S47_REQUIRED = 0.93
S47_OUTCOMES = [("icpc", 0.31), ("cin_plan", 0.36), ("nfa", 0.33)]  # seed 000: 41%; 31-44%
S47_OUTCOMES_PREVIOUS_PLAN = [("icpc", 0.52), ("cin_plan", 0.30), ("nfa", 0.18)]
ICPC_IN_15_WD = 0.80  # national 81.4% (2025)
ICPC_PLAN = 0.85
CATEGORIES = [
    (AbuseCategory.NEGLECT, 0.49),
    (AbuseCategory.EMOTIONAL, 0.33),
    (AbuseCategory.PHYSICAL, 0.09),
    (AbuseCategory.SEXUAL, 0.04),
    (AbuseCategory.MULTIPLE, 0.05),
]
CATEGORY_CHANGES = 0.06
# Plan length: ~11% end at the first review (seed 001), a lognormal body, and a few
# lasting 2 years+ (national 2.3% open, 4.4% ended).
PLAN_ENDS_AT_FIRST_REVIEW = 0.11
PLAN_MEDIAN_DAYS = 250
PLAN_SIGMA = 0.6
STEP_DOWN_TO_CIN_AFTER_PLAN = 0.55
REVIEW_ON_TIME = 0.92
FIRST_CORE_GROUP_ON_TIME = 0.88
CP_VISIT_ON_TIME = 0.88  # seed 000: 84.9% seen to timescale
CHILD_SEEN = 0.97
SEEN_ALONE = 0.78
COURT_WORK = 0.04

# CIN plans last months, some well over a year (DfE CIN census: about two in five children
# in need at 31 March have been in need for over a year). With a 110-day median the demo had
# 165 children in need per 10,000 at 31 March against England's 250-550 (domain.md).
CIN_MEDIAN_DAYS = 270
CIN_SIGMA = 0.8
CIN_MIN_DAYS = 60
# A step-down from a CP plan is shorter (the plan did the work): three to four months. Long
# step-downs kept families from coming back within the window (repeat plans fell to 17%).
STEP_DOWN_CIN_MEDIAN_DAYS = 110
STEP_DOWN_CIN_SIGMA = 0.6
# Working days from an assessment ending in no further action or early help to the episode's
# closure: managers close cases in batches, not on the day (the stock at 31 March counts them).
CLOSURE_LAG_WD = [((0, 5), 0.5), ((6, 20), 0.35), ((21, 40), 0.15)]
# Closure reasons for CIN episodes ending after a plan; RC8/RC9 are set after assessment.
CIN_CLOSURE = [
    (ClosureReason.RC7, 0.88),
    (ClosureReason.RC3, 0.03),
    (ClosureReason.RC4, 0.02),
    (ClosureReason.RC5, 0.05),
    (ClosureReason.RC6, 0.02),
]

# Re-contacts: families come back. Tuned for re-referrals within 12 months ~22%
# (DfE 22.6%, seed 001 22.4%) and repeat plans ~24% (DfE 24.5%).
RECONTACT_AFTER_CLOSURE = 0.34
RECONTACT_AFTER_PLAN = 0.85
RECONTACT_NOT_REFERRED = 0.12
RECONTACT_MEAN_DAYS = 150

# Workforce (seed 002: safe caseload ~25; agency ~15%; newly qualified protected at 18).
AGENCY_SHARE = 0.15
NEWLY_QUALIFIED_SHARE = 0.14
NQ_LIMIT = 18
TARGET_CASELOAD = 19
HIRE_ABOVE = 21  # area average at which a manager gets a post approved
PERMANENT_MEAN_YEARS = 4.5
AGENCY_MEAN_YEARS = 1.0
REALLOCATION_DELAY_WD = (0, 15)

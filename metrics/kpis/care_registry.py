"""Definitions of the children-in-care KPIs, appended to ``metrics.registry.KPIS``.

Kept here so the registry gains one line; the computations are ``metrics.kpis.care``.
"""

from __future__ import annotations

from metrics import kpi_definition as R
from metrics.kpis import care


def definitions(_d) -> tuple:
    cm = "DfE Children looked after in England including adoptions"
    pop = "Child population aged 0-17 for the financial year of the period end"
    la = "Children looked after at the period end (excluding short breaks, V3/V4)"
    return (
        _d("cla_count", "Children looked after", la, "", R.NEUTRAL, R.COUNT,
           f"{cm} (CLA at 31 March); England 81,770 (2025)", kind=R.STOCK,
           compute=care.cla_count, scopes=R.AUTHORITY_ONLY),
        _d("rate_cla_per_10k", "Children looked after per 10,000 children", la, pop,
           R.NEUTRAL, R.RATE, f"{cm}; England 67 (2025)", kind=R.STOCK,
           compute=care.rate_cla_per_10k, scopes=R.AUTHORITY_ONLY),
        _d("cla_started", "Children starting to be looked after",
           "Periods of care starting in the period (first episode reason S), excluding "
           "short breaks", "", R.NEUTRAL, R.COUNT,
           f"{cm}; England 33,050 starts (2024)", compute=care.cla_started),
        _d("cla_ceased", "Children ceasing to be looked after",
           "Periods of care ending in the period (any reason but X1), excluding short breaks",
           "", R.NEUTRAL, R.COUNT, f"{cm}; England 34,450 (2025)", compute=care.cla_ceased),
        _d("cla_placements_3plus", "Children looked after with 3 or more placements in the year",
           "Children looked after at the period end with 3 or more placements (not temporary "
           "T0-T4) in the 12 months to the period end", la, R.LOWER, R.PERCENT,
           f"{cm} (short-term stability)", kind=R.STOCK, compute=care.cla_placements_3plus,
           scopes=R.AUTHORITY_ONLY),
        _d("cla_long_term_stability", "Long-term placement stability",
           "Of those, children in the same placement for 2 years or more, or placed for "
           "adoption after a placement that, with it, lasted 2 years",
           "Children under 16 looked after at the period end for 2.5 years or more",
           R.HIGHER, R.PERCENT, f"{cm}; England 69% (2025)", kind=R.STOCK,
           compute=care.cla_long_term_stability, scopes=R.AUTHORITY_ONLY),
        _d("cla_reviews_in_time", "Looked-after reviews held in time",
           "Looked-after reviews held in the period on or before their due date (first within "
           "20 working days, second within 3 months, then 6-monthly)",
           "Looked-after reviews held in the period", R.HIGHER, R.PERCENT,
           "CPPCR 2010 reg 33", compute=care.cla_reviews_in_time),
        _d("cla_visits_in_time", "Looked-after child visits in time",
           "Statutory visits in the period at which the child was seen, on or before the due "
           "date (a week after a placement starts, then at most 6-weekly, or 3-monthly in a "
           "long-term placement after its first year, or as a manager set)",
           "Statutory visits in the period at which the child was seen", R.HIGHER, R.PERCENT,
           "CPPCR 2010 reg 28", compute=care.cla_visits_in_time),
        _d("cla_health_assessments_in_time", "Health assessments in time",
           "Initial and review health assessments done in the period on or before their due "
           "date (initial by the first review; reviews 6-monthly under 5, yearly from 5)",
           "Initial and review health assessments done in the period", R.HIGHER, R.PERCENT,
           "CPPCR 2010 reg 7",
           compute=care.cla_health_assessments_in_time),
        _d("cla_dental_checks", "Children looked after with a dental check",
           "Of those, children with a dental check in the 12 months to the period end",
           "Children looked after at the period end for 12 months or more (OC2 cohort)",
           R.HIGHER, R.PERCENT, f"{cm}; England 86% (2015)", kind=R.STOCK,
           compute=care.cla_dental_checks, scopes=R.AUTHORITY_ONLY),
        _d("cla_pep_in_time", "Personal education plans in time",
           "PEPs held in the period on or before their due date (first within 10 working days, "
           "then termly)", "PEPs held in the period", R.HIGHER, R.PERCENT,
           "Authority measure: personal education plans reviewed each term",
           compute=care.cla_pep_in_time),
        _d("cla_missing_episodes", "Missing and away-from-placement episodes",
           "Episodes of a looked-after child missing (M) or away without authorisation (A) "
           "starting in the period", "", R.LOWER, R.COUNT,
           f"{cm}; England 86,900 incidents (2025)", compute=care.cla_missing_episodes),
        *_permanence_and_leavers(_d, R, care, cm),
    )  # fmt: skip


def _permanence_and_leavers(_d, R, care, cm) -> tuple:
    oc3 = (
        "Care leavers (looked after for 13 weeks or more from their 14th birthday, some of it "
        "at 16 or over) with a {ages} birthday in the period, not looked after on it{left}: "
        "the SSDA903 OC3 rows, one with no contact recorded for the birthday counted as not in "
        "touch; excluding those who died, returned home to their parents for 6 months or more, "
        "whose care was transferred to another authority (E3) or who were only looked after "
        "on short breaks"
    )
    older = oc3.format(ages="19th, 20th or 21st", left="")
    younger = oc3.format(ages="17th or 18th", left=" and who left care before it")
    eet = "in education, employment or training (activity F1-F5 or P1-P5)"
    scorecard = "DfE Adoption scorecard"
    return (
        _d("care_leavers_in_touch", "Care leavers aged 19 to 21 in touch",
           "Of those, the authority in touch (IN_TOUCH YES)", older, R.HIGHER,
           R.PERCENT, f"{cm} (care leavers); England 91% in touch (19-21, 2020-21)",
           compute=care.care_leavers_in_touch, version=2),
        _d("care_leavers_eet_17_18", "Care leavers aged 17 or 18 in education, employment or "
           "training", f"Of those, {eet}", younger, R.HIGHER, R.PERCENT,
           f"{cm} (care leavers)", compute=care.care_leavers_eet_17_18, version=2),
        _d("care_leavers_eet_19_21", "Care leavers aged 19 to 21 in education, employment or "
           "training", f"Of those, {eet}", older, R.HIGHER, R.PERCENT,
           f"{cm} (care leavers); England about 60% (NEET about 40%, 2017)",
           compute=care.care_leavers_eet_19_21, version=2),
        _d("care_leavers_suitable_accommodation_19_21",
           "Care leavers aged 19 to 21 in suitable accommodation",
           "Of those, in accommodation recorded as suitable (ACCOM ending 1)", older,
           R.HIGHER, R.PERCENT, f"{cm} (care leavers); England 85% (2019)",
           compute=care.care_leavers_suitable_accommodation_19_21, version=2),
        _d("adoption_a1_days", "Adoption A1: days from entering care to moving in with adopters",
           "Days from the start of the period of care to the placement with the adopters, "
           "summed over children adopted in the period", "Children adopted in the period",
           R.LOWER, R.DAYS, f"{scorecard} A1; threshold 426 days (14 months); England 486 days "
           "(2015-18)", kind=R.PERIODS, compute=care.adoption_a1_days,
           scopes=R.AUTHORITY_ONLY),
        _d("adoption_a2_days", "Adoption A2: days from placement order to match",
           "Days from the placement order to the match with adopters, summed over children "
           "adopted in the period", "Children adopted in the period with a placement order",
           R.LOWER, R.DAYS, f"{scorecard} A2; threshold 121 days (4 months); England 216 days "
           "(2013-14)", kind=R.PERIODS, compute=care.adoption_a2_days,
           scopes=R.AUTHORITY_ONLY),
        _d("cla_ceased_permanence", "Children leaving care to permanence",
           "Of those, leaving care through adoption (E11, E12), a special guardianship order "
           "(E45-E48) or a child arrangements order (E41)",
           "Periods of care ending in the period, excluding short breaks", R.HIGHER, R.PERCENT,
           f"{cm} (reason episode ceased)", compute=care.cla_ceased_permanence),
    )  # fmt: skip

"""The tables each KPI reads: the incremental recompute's map from a write to the KPIs
it can change.

A write to a table recomputes only the KPIs listed as reading it (an assessment
authorisation touches a handful of the KPIs). The scoped flow KPIs read the scope
stored on their events (``casework.scope``), not the allocations: a reallocation
recomputes the caseload KPIs, and the flow KPIs of each event table whose stored scope
it moved (the re-stamping announces those tables, from the earliest date moved). A KPI
missing from this map would be recomputed after every write (slower, never wrong), but
none may be: ``tests/metrics/test_kpi_sources.py`` fails when a registered KPI has no
entry, and runs every KPI and fails when its SQL reads a table not listed here or a
listed table is no longer read, so the map cannot fall behind a changed query.
"""

from __future__ import annotations

from collections.abc import Iterable

from casework.models import ChildPopulation

# A rate's denominator (the child population) is read by the snapshot service itself.
POPULATION = ChildPopulation._meta.db_table

# The SSDA903 OC3 cohort (metrics.kpis.oc3): care leavers, their contacts, dates of birth,
# periods of care (looked after on the birthday, E3) and first episodes (short breaks).
_OC3_COHORT = (
    "care_careepisode care_careleaver care_careperiod care_leavercontact casework_child "
    "casework_worker"
)

# KPI code -> the tables its SQL reads, space-separated.
_READS: dict[str, str] = {
    "contacts_screened_1wd": (
        "casework_child casework_workingday referrals_contact referrals_contactchild"
    ),
    "contact_conversion": (
        "casework_child referrals_contact referrals_contactchild referrals_referral"
    ),
    "referrals_nfa": "referrals_referral",
    "rereferrals_12m": "referrals_referral",
    "referral_to_assessment": "casework_assessment referrals_referral",
    "assessments_45wd_from_referral": (
        "casework_assessment casework_workingday referrals_referral"
    ),
    "assessments_45wd_dfe": ("casework_assessment casework_workingday referrals_referral"),
    "assessments_nfa": "casework_assessment referrals_referral",
    "s47_to_icpc": "casework_section47enquiry referrals_referral",
    "icpc_15wd": (
        "casework_childprotectionconference casework_section47enquiry "
        "casework_strategydiscussion casework_workingday referrals_referral"
    ),
    "icpc_to_plan": (
        "casework_childprotectionconference casework_childprotectionplan referrals_referral"
    ),
    "cp_repeat_plans": "casework_childprotectionplan referrals_referral",
    "cp_repeat_plans_2y": "casework_childprotectionplan referrals_referral",
    "cp_ended_2y_plus": "casework_childprotectionplan referrals_referral",
    "cp_open_2y_plus": (
        "casework_allocation casework_childprotectionplan casework_workingday referrals_referral"
    ),
    "cp_ended_under_3m": "casework_childprotectionplan referrals_referral",
    "cp_visits_in_time": (
        "casework_authority casework_childprotectionplan casework_visit "
        "casework_worker casework_workingday referrals_referral"
    ),
    "cp_reviews_in_time": (
        "casework_childprotectionconference casework_childprotectionplan referrals_referral"
    ),
    "rate_referrals_per_10k": "referrals_referral",
    "rate_s47_per_10k": "casework_section47enquiry referrals_referral",
    "rate_cin_per_10k": "care_careperiod casework_workingday referrals_referral",
    "rate_cp_per_10k": "casework_childprotectionplan casework_workingday referrals_referral",
    "caseload_per_worker": (
        "casework_allocation casework_worker casework_workingday referrals_referral"
    ),
    "caseload_dfe": "casework_allocation casework_worker casework_workingday referrals_referral",
    "unallocated_cases": "casework_allocation casework_workingday referrals_referral",
    "cp_ended_by_first_review": (
        "casework_childprotectionconference casework_childprotectionplan referrals_referral"
    ),
    "referrals_to_s47": "casework_section47enquiry referrals_referral",
    "strategy_discussions_to_s47": (
        "casework_section47enquiry casework_strategydiscussion referrals_referral"
    ),
    "rate_icpc_per_10k": "casework_childprotectionconference referrals_referral",
    "rate_assessments_per_10k": "casework_assessment referrals_referral",
    "first_core_group_10wd": (
        "casework_childprotectionplan casework_coregroup casework_workingday referrals_referral"
    ),
    "cp_visits_seen_alone": "casework_visit referrals_referral",
    "rate_cin_excl_cp_cla_per_10k": (
        "care_careperiod casework_childprotectionplan casework_workingday referrals_referral"
    ),
    "early_help_assessments": "casework_child earlyhelp_earlyhelpepisode",
    "rate_early_help_per_10k": "casework_child earlyhelp_earlyhelpepisode",
    "early_help_closed_needs_met": "casework_child earlyhelp_earlyhelpepisode",
    "early_help_stepped_up_12m": "casework_child earlyhelp_earlyhelpepisode referrals_referral",
    "stepdown_to_early_help": "casework_child earlyhelp_earlyhelpepisode",
    "contacts_by_source": "casework_child referrals_contact referrals_contactchild",
    "contacts_open_early_help": (
        "casework_child earlyhelp_earlyhelpepisode referrals_contact referrals_contactchild"
    ),
    "contacts_screened_in_standard": (
        "casework_authority casework_child casework_workingday referrals_contact "
        "referrals_contactchild"
    ),
    "cla_count": (
        "care_careepisode care_careperiod care_placement casework_child casework_workingday"
    ),
    "rate_cla_per_10k": (
        "care_careepisode care_careperiod care_placement casework_child casework_workingday"
    ),
    "cla_started": "care_careepisode care_careperiod casework_worker",
    "cla_ceased": "care_careepisode care_careperiod casework_worker",
    "cla_placements_3plus": (
        "care_careepisode care_careperiod care_placement casework_child casework_workingday"
    ),
    "cla_long_term_stability": (
        "care_careepisode care_careperiod care_placement casework_child casework_workingday"
    ),
    "cla_reviews_in_time": "care_careperiod care_carereview casework_worker",
    "cla_visits_in_time": "care_careperiod care_carevisit casework_worker",
    "cla_health_assessments_in_time": "care_careperiod care_healthcheck casework_worker",
    "cla_dental_checks": (
        "care_careepisode care_careperiod care_healthcheck care_placement casework_child "
        "casework_workingday"
    ),
    "cla_pep_in_time": "care_careperiod care_educationplan casework_worker",
    "cla_missing_episodes": "care_careperiod care_missingepisode casework_worker",
    "care_leavers_in_touch": _OC3_COHORT,
    "care_leavers_eet_17_18": _OC3_COHORT,
    "care_leavers_eet_19_21": _OC3_COHORT,
    "care_leavers_suitable_accommodation_19_21": _OC3_COHORT,
    "adoption_a1_days": "care_adoptionplan care_careperiod",
    "adoption_a2_days": "care_adoptionplan care_careperiod",
    "cla_ceased_permanence": "care_careepisode care_careperiod casework_worker",
    "agency_rate": "casework_team workforce_contract workforce_post",
    "vacancy_rate": "casework_team workforce_contract workforce_post",
    "turnover_rate_12m": "casework_team workforce_contract workforce_post",
    "absence_rate": "casework_team workforce_absence workforce_contract workforce_post",
    "newly_qualified_share": "casework_team workforce_contract workforce_post",
    "span_of_control": "casework_team workforce_contract workforce_post",
    "workers_over_caseload_threshold": (
        "casework_allocation casework_authority casework_worker casework_workingday "
        "referrals_referral"
    ),
    "supervision_in_time": (
        "casework_allocation casework_worker workforce_casesupervision workforce_workforcestandard"
    ),
    "audits_good_or_better": "workforce_caseaudit",
}
SOURCES: dict[str, frozenset[str]] = {code: frozenset(t.split()) for code, t in _READS.items()}


def reads_any(definition, tables: Iterable[str | None]) -> bool:
    """Whether ``definition`` can change after writes to ``tables`` (None: unknown)."""
    declared = SOURCES.get(definition.code)
    if declared is None:
        return True
    if definition.unit == "rate":
        declared = declared | {POPULATION}
    return any(table is None or table in declared for table in tables)

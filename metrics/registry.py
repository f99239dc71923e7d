"""The KPI registry: one written definition per KPI, shown next to every value.

Codes are a contract (exports, the API, ``kpi_values``). Bump ``version`` when a rule
changes: each snapshot records the version it was computed under. Definitions follow
the project's domain notes (section 4); where a DfE publication differs, the DfE rule is
used and ``source`` says so: the DfE publication, or "Authority measure" for the
authority's own.

Other apps' KPIs are found, not imported: each installed app with a ``kpi_definitions``
module (early help, workforce) gives its own through ``definitions()``, as the admin finds
``admin.py``, and says where the dashboard lists them (``DASHBOARD_POSITION``).
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from metrics.kpi_definition import (  # noqa: F401 - the registry's names, as pages import them
    ALL_SCOPES,
    AT_END,
    AT_SEPTEMBER,
    AUTHORITY_ONLY,
    CASELOAD,
    COUNT,
    DAYS,
    FLOW,
    HIGHER,
    IN_PERIOD,
    LOWER,
    NEUTRAL,
    PERCENT,
    PERIODS,
    RATE,
    RATIO,
    STOCK,
    KpiDefinition,
)
from metrics.kpi_definition import define as _d
from metrics.kpis import care_registry as care_kpis
from metrics.kpis import seed_measures

SOCIAL_CARE: tuple[KpiDefinition, ...] = (
    _d("contacts_screened_1wd", "Contacts screened within 1 working day",
       "Children on contacts received in the period with a "
       "screening decision within 1 working day of receipt",
       "Children on contacts received in the period", HIGHER, PERCENT,
       "Authority measure: front door screening within one working day",
       scopes=AUTHORITY_ONLY,
       notes="Counted per child on the contact. Receipt date is the London date of receipt."),
    _d("contact_conversion", "Contacts becoming referrals",
       "Children on contacts received in the period whose contact became a referral",
       "Children on contacts received in the period", NEUTRAL, PERCENT,
       "Authority measure: contacts progressing to a referral",
       scopes=AUTHORITY_ONLY),
    _d("referrals_nfa", "Referrals ending in no further action",
       "Referrals in the period marked 'referral NFA' (no assessment follows)",
       "Referrals in the period", LOWER, PERCENT,
       "DfE children in need census ('Referral NFA'); authority measure"),
    _d("rereferrals_12m", "Re-referrals within 12 months",
       "Referrals in the period for a child with an earlier referral no more than 12 months before",
       "Referrals in the period", LOWER, PERCENT,
       "DfE Characteristics of children in need (re-referrals); national 22.6% (2025)"),
    _d("referral_to_assessment", "Referrals leading to an assessment",
       "Referrals in the period with a Child and Family assessment", "Referrals in the period",
       NEUTRAL, PERCENT, "Authority measure: referrals progressing to assessment"),
    _d("assessments_45wd_from_referral",
       "Assessments authorised within 45 working days of referral",
       "Assessments authorised in the period within 45 working days of the referral date",
       "Assessments authorised in the period", HIGHER, PERCENT,
       "Working Together to Safeguard Children 2023 (45 working days from referral)"),
    _d("assessments_45wd_dfe", "Assessments authorised within 45 working days of starting (DfE)",
       "Assessments authorised in the period within 45 working days of the assessment start",
       "Assessments authorised in the period", HIGHER, PERCENT,
       "DfE Characteristics of children in need, assessment "
       "timeliness table; national 85.7% (2025)"),
    _d("assessments_nfa", "Assessments ending in no further action",
       "Assessments authorised in the period with outcome 'no further action'",
       "Assessments authorised in the period", NEUTRAL, PERCENT,
       "Authority measure: assessments ending in no further action"),
    _d("s47_to_icpc", "Section 47 enquiries leading to an initial conference",
       "Section 47 enquiries ending in the period with the outcome 'ICPC'",
       "Section 47 enquiries ending in the period", NEUTRAL, PERCENT,
       "DfE Characteristics of children in need (section 47 enquiries and initial "
       "conferences); authority measure by enquiries ending"),
    _d("icpc_15wd", "Initial conferences within 15 working days",
       "Initial conferences held in the period within 15 working days of the "
       "strategy discussion that started the section 47 enquiry",
       "Initial conferences held in the period (after a section 47 enquiry)", HIGHER, PERCENT,
       "DfE Characteristics of children in need; Working Together 2023; national 81.4% (2025)"),
    _d("icpc_to_plan", "Initial conferences resulting in a plan",
       "Initial conferences held in the period that started a child protection plan",
       "Initial conferences held in the period (after a section 47 enquiry)", NEUTRAL, PERCENT,
       "Authority measure: initial conferences resulting in a plan"),
    _d("cp_repeat_plans", "Repeat child protection plans (ever)",
       "Plans started in the period for a child who had an earlier plan, at any time",
       "Plans started in the period", LOWER, PERCENT,
       "DfE Characteristics of children in need (second or "
       "subsequent plans); national 24.5% (2025)"),
    _d("cp_repeat_plans_2y", "Repeat child protection plans within 2 years",
       "Plans started in the period within 2 years of the end of an earlier plan for the child",
       "Plans started in the period", LOWER, PERCENT,
       "Authority measure: repeat plans within two years of the previous plan's end"),
    _d("cp_ended_2y_plus", "Plans ended that lasted 2 years or more",
       "Plans ended in the period that lasted 2 years or more", "Plans ended in the period",
       LOWER, PERCENT, "DfE Characteristics of children in need; national 4.4% (2025)"),
    _d("cp_open_2y_plus", "Open plans lasting 2 years or more",
       "Children on a plan at the period end whose plan has lasted 2 years or more",
       "Children on a plan at the period end", LOWER, PERCENT,
       "DfE Characteristics of children in need; national 2.3% at 31 March 2025", kind=STOCK),
    _d("cp_ended_under_3m", "Plans ended within 3 months (DfE)",
       "Plans ended in the period that lasted less than 3 calendar months",
       "Plans ended in the period", LOWER, PERCENT,
       "DfE Characteristics of children in need (plans ended by length: under 3 months)",
       notes="The DfE's measure, by plans ended. The authority measure (children made "
             "subject to a plan who came off it by the first review) is "
             "cp_ended_by_first_review."),
    _d("cp_visits_in_time", "CP visits in time",
       "Visits in the period at which a social worker saw a child on a plan, within the "
       "plan's visit standard (working days; the authority's unless a manager varied it "
       "for the plan) of the previous such visit, or of the plan start",
       "Visits in the period at which a social worker saw a child on a plan", HIGHER,
       PERCENT, "Authority standard: at least two-weekly unless a manager varies it for the "
       "plan; no DfE measure", compute=seed_measures.cp_visits_in_time,
       version=2,
       notes="Version 2 counts every visit gap across the period (version 1 was the "
             "position on the period's last day, any worker's visit, one standard). A gap "
             "still open at the period end counts when the late visit is recorded; the "
             "forecast lists those at risk."),
    _d("cp_reviews_in_time", "Review conferences held in time",
       "Review conferences held in the period on or before their statutory date: 3 "
       "calendar months after the ICPC for the first, 6 after the previous review later",
       "Review conferences held in the period", HIGHER, PERCENT,
       "Working Together to Safeguard Children 2023 (review conference timescales)",
       compute=seed_measures.cp_reviews_in_time, version=2,
       notes="Version 2 counts from the statutory date, not the stored target date "
             "(which can be moved, e.g. to the next working day)."),
    _d("rate_referrals_per_10k", "Referrals per 10,000 children",
       "Referrals in the period",
       "Child population aged 0-17 for the "
       "financial year of the period end",
       NEUTRAL, RATE, "DfE Characteristics of children in need (referral rate)",
       scopes=AUTHORITY_ONLY, notes="Not annualised: a month's rate is that month's referrals."),
    _d("rate_s47_per_10k", "Section 47 enquiries per 10,000 children",
       "Section 47 enquiries started in the period",
       "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
       "DfE Characteristics of children in need (s47 enquiries starting in the year)",
       scopes=AUTHORITY_ONLY),
    _d("rate_cin_per_10k", "Children in need per 10,000 children",
       "Children with a CIN episode open or looked after at the period end",
       "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
       "DfE Characteristics of children in need (CIN at 31 March; children in need "
       "include children looked after)", kind=STOCK, scopes=AUTHORITY_ONLY, version=2),
    _d("rate_cp_per_10k", "Children on a plan per 10,000 children",
       "Children on a child protection plan at the period end",
       "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
       "DfE Characteristics of children in need (CPP at 31 March)", kind=STOCK,
       scopes=AUTHORITY_ONLY),
    _d("caseload_per_worker", "Children per case-holding worker",
       "Children in open episodes allocated at the period end to case-holding social workers",
       "Case-holding social workers (social workers and senior "
       "practitioners) in post at the period end, head count",
       LOWER, RATIO,
       "Authority measure: children per case-holding worker (about 25 is the safe level)",
       kind=CASELOAD,
       compute="caseload_per_worker"),
    _d("caseload_dfe", "Caseload per FTE case-holding social worker (DfE method)",
       "Cases (children) held by case-holding social workers on 30 September",
       "FTE of case-holding social workers holding at least one case on 30 September", LOWER,
       RATIO,
       "DfE Children's social work workforce (caseload at "
       "30 September); national 15.2 (2025)",
       kind=CASELOAD, compute="caseload_dfe", period_rule=AT_SEPTEMBER),
    _d("unallocated_cases", "Unallocated cases",
       "Open CIN episodes at the period end with no allocated worker",
       "Open CIN episodes at the period end", LOWER, COUNT,
       "Authority measure: open episodes with no allocated worker", kind=STOCK,
       scopes=AUTHORITY_ONLY),
    # Issue 23: the measures the seeds quote from data already held.
    _d("cp_ended_by_first_review", "Children coming off a plan by the first review",
       "Plans started in the period that ended on or before the first review conference "
       "(due 3 calendar months after the ICPC)",
       "Plans started in the period", LOWER, PERCENT,
       "Authority measure: children removed from a plan on or before their first "
       "review; the DfE's nearest measure is cp_ended_under_3m",
       compute=seed_measures.cp_ended_by_first_review,
       notes="By start cohort: a recent month's plans have not yet reached their review."),
    _d("referrals_to_s47", "Referrals leading to a section 47 enquiry",
       "Referrals in the period with a section 47 enquiry in the episode",
       "Referrals in the period", NEUTRAL, PERCENT,
       "Authority measure: referrals leading to a section 47 enquiry",
       compute=seed_measures.referrals_to_s47),
    _d("strategy_discussions_to_s47", "Strategy discussions leading to a section 47 enquiry",
       "Strategy discussions held in the period that started a section 47 enquiry",
       "Strategy discussions held in the period", NEUTRAL, PERCENT,
       "Authority measure: strategy discussions leading to a section 47 enquiry",
       compute=seed_measures.strategy_discussions_to_s47),
    _d("rate_icpc_per_10k", "Initial conferences per 10,000 children",
       "Initial conferences held in the period after a section 47 enquiry",
       "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
       "DfE Characteristics of children in need (ICPCs in the year)", scopes=AUTHORITY_ONLY,
       compute=seed_measures.rate_icpc_per_10k),
    _d("rate_assessments_per_10k", "Assessments per 10,000 children",
       "Assessments authorised (completed) in the period",
       "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
       "DfE Characteristics of children in need (assessments completed in the year)",
       scopes=AUTHORITY_ONLY, compute=seed_measures.rate_assessments_per_10k),
    _d("first_core_group_10wd", "First core groups within 10 working days",
       "Plans started in the period whose first core group met within 10 working days of "
       "the initial conference", "Plans started in the period", HIGHER, PERCENT,
       "Working Together to Safeguard Children 2023 (first core group timescale)",
       compute=seed_measures.first_core_group_10wd),
    _d("cp_visits_seen_alone", "Children on a plan seen alone",
       "CP visits in the period at which the child was seen alone",
       "CP visits in the period at which the child was seen", HIGHER, PERCENT,
       "Authority measure; Ofsted Annex A list 7 (child seen alone)",
       compute=seed_measures.cp_visits_seen_alone),
    _d("rate_cin_excl_cp_cla_per_10k",
       "Children in need per 10,000 children, excluding child protection and children in care",
       "Children with a CIN episode open at the period end who are not on a child protection "
       "plan nor looked after",
       "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
       "DfE Characteristics of children in need (CIN excluding CPP and CLA)", kind=STOCK,
       scopes=AUTHORITY_ONLY, compute=seed_measures.rate_cin_excl_cp_cla_per_10k),
)  # fmt: skip
# Children in care (issue 19): metrics/kpis/care_registry.py.
CHILDREN_IN_CARE = care_kpis.definitions(_d)


def _sections() -> list[tuple[int, tuple[KpiDefinition, ...]]]:
    """(dashboard position, definitions): metrics' own and each app's ``kpi_definitions``."""
    sections = [(0, SOCIAL_CARE), (20, CHILDREN_IN_CARE)]
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "kpi_definitions"):
            module = import_module(f"{config.name}.kpi_definitions")
            sections.append((module.DASHBOARD_POSITION, module.definitions()))
    return sections


KPIS: tuple[KpiDefinition, ...] = tuple(
    kpi for _, section in sorted(_sections(), key=lambda s: s[0]) for kpi in section
)
BY_CODE: dict[str, KpiDefinition] = {k.code: k for k in KPIS}
CODES: tuple[str, ...] = tuple(BY_CODE)


def get(code: str) -> KpiDefinition:
    return BY_CODE[code]

"""The KPI registry: one written definition per KPI, shown next to every value.

Codes are a contract (exports, the API, ``kpi_values``). Bump ``version`` when a rule
changes: each snapshot records the version it was computed under. Definitions follow
../shared/domain.md section 4; where a DfE publication differs, the DfE rule is used and
``source`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from earlyhelp import kpis as eh
from metrics.kpis import care_registry as care_kpis
from metrics.kpis import flows, stocks
from workforce import kpi_definitions as workforce_kpis

PERCENT, RATE, COUNT, RATIO = "percent", "rate", "count", "ratio"
HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"
FLOW, STOCK, CASELOAD = "flow", "stock", "caseload"
# Computed by a function of the requested periods (KPIs kept by other apps).
PERIODS = "periods"
ALL_SCOPES = ("authority", "team", "worker")
AUTHORITY_ONLY = ("authority",)

IN_PERIOD = "Events dated in the period (month, quarter, year, year to date, rolling 12 months)."
AT_END = "Position on the last day of the period."
AT_SEPTEMBER = "Position on the latest 30 September on or before the period end (DfE census date)."


@dataclass(frozen=True)
class KpiDefinition:
    code: str
    title: str
    numerator: str
    denominator: str
    period_rule: str
    polarity: str
    unit: str
    source: str
    kind: str
    compute: object
    scopes: tuple[str, ...] = ALL_SCOPES
    version: int = 1
    notes: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == HIGHER


def _d(code, title, numerator, denominator, polarity, unit, source, **kw) -> KpiDefinition:
    kind = kw.pop("kind", FLOW)
    compute = kw.pop("compute", None) or getattr(flows if kind == FLOW else stocks, code, None)
    rule = kw.pop("period_rule", IN_PERIOD if kind == FLOW else AT_END)
    return KpiDefinition(
        code, title, numerator, denominator, rule, polarity, unit, source, kind, compute, **kw
    )


DM = "domain.md section 4"
EH = "workforce-earlyhelp-annexa.md section B"
KPIS: tuple[KpiDefinition, ...] = (
    _d("contacts_screened_1wd", "Contacts screened within 1 working day",
       "Children on contacts received in the period with a "
       "screening decision within 1 working day of receipt",
       "Children on contacts received in the period", HIGHER, PERCENT, f"{DM}; seed 003",
       scopes=AUTHORITY_ONLY,
       notes="Counted per child on the contact. Receipt date is the London date of receipt."),
    _d("contact_conversion", "Contacts becoming referrals",
       "Children on contacts received in the period whose contact became a referral",
       "Children on contacts received in the period", NEUTRAL, PERCENT, f"{DM}; seed 004",
       scopes=AUTHORITY_ONLY),
    _d("referrals_nfa", "Referrals ending in no further action",
       "Referrals in the period marked 'referral NFA' (no assessment follows)",
       "Referrals in the period", LOWER, PERCENT, f"{DM}; seed 000; CIN census 'Referral NFA'"),
    _d("rereferrals_12m", "Re-referrals within 12 months",
       "Referrals in the period for a child with an earlier referral no more than 12 months before",
       "Referrals in the period", LOWER, PERCENT,
       "DfE Characteristics of children in need (re-referrals); national 22.6% (2025)"),
    _d("referral_to_assessment", "Referrals leading to an assessment",
       "Referrals in the period with a Child and Family assessment", "Referrals in the period",
       NEUTRAL, PERCENT, f"{DM}; seed 001"),
    _d("assessments_45wd_from_referral",
       "Assessments authorised within 45 working days of referral",
       "Assessments authorised in the period within 45 working days of the referral date",
       "Assessments authorised in the period", HIGHER, PERCENT,
       "Working Together 2023; domain.md sections 3-4"),
    _d("assessments_45wd_dfe", "Assessments authorised within 45 working days of starting (DfE)",
       "Assessments authorised in the period within 45 working days of the assessment start",
       "Assessments authorised in the period", HIGHER, PERCENT,
       "DfE Characteristics of children in need, assessment "
       "timeliness table; national 85.7% (2025)"),
    _d("assessments_nfa", "Assessments ending in no further action",
       "Assessments authorised in the period with outcome 'no further action'",
       "Assessments authorised in the period", NEUTRAL, PERCENT, f"{DM}; seed 001"),
    _d("s47_to_icpc", "Section 47 enquiries leading to an initial conference",
       "Section 47 enquiries ending in the period with the outcome 'ICPC'",
       "Section 47 enquiries ending in the period", NEUTRAL, PERCENT, f"{DM}; seeds 000, 001"),
    _d("icpc_15wd", "Initial conferences within 15 working days",
       "Initial conferences held in the period within 15 working days of the "
       "strategy discussion that started the section 47 enquiry",
       "Initial conferences held in the period (after a section 47 enquiry)", HIGHER, PERCENT,
       "DfE Characteristics of children in need; Working Together 2023; national 81.4% (2025)"),
    _d("icpc_to_plan", "Initial conferences resulting in a plan",
       "Initial conferences held in the period that started a child protection plan",
       "Initial conferences held in the period (after a section 47 enquiry)", NEUTRAL, PERCENT, DM),
    _d("cp_repeat_plans", "Repeat child protection plans (ever)",
       "Plans started in the period for a child who had an earlier plan, at any time",
       "Plans started in the period", LOWER, PERCENT,
       "DfE Characteristics of children in need (second or "
       "subsequent plans); national 24.5% (2025)"),
    _d("cp_repeat_plans_2y", "Repeat child protection plans within 2 years",
       "Plans started in the period within 2 years of the end of an earlier plan for the child",
       "Plans started in the period", LOWER, PERCENT, f"{DM}; seed 000"),
    _d("cp_ended_2y_plus", "Plans ended that lasted 2 years or more",
       "Plans ended in the period that lasted 2 years or more", "Plans ended in the period",
       LOWER, PERCENT, "DfE Characteristics of children in need; national 4.4% (2025)"),
    _d("cp_open_2y_plus", "Open plans lasting 2 years or more",
       "Children on a plan at the period end whose plan has lasted 2 years or more",
       "Children on a plan at the period end", LOWER, PERCENT,
       "DfE Characteristics of children in need; national 2.3% at 31 March 2025", kind=STOCK),
    _d("cp_ended_under_3m", "Plans ended within 3 months",
       "Plans ended in the period that lasted less than 3 calendar months",
       "Plans ended in the period", LOWER, PERCENT, f"{DM}; seed 001"),
    _d("cp_visits_in_time", "Children on a plan visited in time",
       "Children on a plan at the period end seen on a CP visit within the "
       "authority's visit standard "
       "(working days) before the period end, or on a plan younger than the standard",
       "Children on a plan at the period end", HIGHER, PERCENT, f"{DM}; seeds 000, 003",
       kind=STOCK),
    _d("cp_reviews_in_time", "Review conferences held in time",
       "Review conferences held in the period on or before their due date",
       "Review conferences held in the period", HIGHER, PERCENT, DM),
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
       LOWER, RATIO, "domain.md section 4; seed 002 (about 25 is the safe level)", kind=CASELOAD,
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
       "Open CIN episodes at the period end", LOWER, COUNT, f"{DM}; seed 002", kind=STOCK,
       scopes=AUTHORITY_ONLY),
    # Early help and the whole front door (issue 22): earlyhelp/kpis.py.
    _d("early_help_assessments", "Early help assessments started",
       "Early help assessments started in the period", "Early help assessments started in the "
       "period", NEUTRAL, COUNT, f"{EH}; seed 001", compute=eh.early_help_assessments,
       scopes=AUTHORITY_ONLY),
    _d("rate_early_help_per_10k", "Early help assessments per 10,000 children",
       "Early help assessments started in the period",
       "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
       f"{EH}; seed 001", compute=eh.rate_early_help_per_10k, scopes=AUTHORITY_ONLY,
       notes="Not annualised."),
    _d("early_help_closed_needs_met", "Early help closed with needs met",
       "Early help episodes closed in the period with the reason 'needs met'",
       "Early help episodes closed in the period", HIGHER, PERCENT, EH,
       compute=eh.early_help_closed_needs_met, scopes=AUTHORITY_ONLY),
    _d("early_help_stepped_up_12m", "Early help followed by a referral within 12 months",
       "Early help episodes closed in the period (not by stepping up) whose child was "
       "referred to children's social care within 12 months of the closure",
       "Early help episodes closed in the period, not by stepping up", LOWER, PERCENT,
       f"{EH}; seed 004 (about 52% of step-downs came back)",
       compute=eh.early_help_stepped_up_12m, scopes=AUTHORITY_ONLY,
       notes="Periods less than 12 months old are still filling in."),
    _d("stepdown_to_early_help", "Step-downs to early help",
       "Early help requests in the period stepped down from social care (after an "
       "assessment or at the closure of a child in need episode)",
       "Early help requests in the period", NEUTRAL, COUNT, f"{EH}; seeds 002, 004",
       compute=eh.stepdown_to_early_help, scopes=AUTHORITY_ONLY),
    _d("contacts_by_source", "Contacts progressed (all sources)",
       "Children on contacts received in the period screened to a referral or to early help",
       "Children on contacts received in the period", NEUTRAL, PERCENT,
       "seeds 002, 004 (contacts by source and what happened to them)",
       compute=eh.contacts_by_source, scopes=AUTHORITY_ONLY,
       notes="Split by source on the early help page (contacts and % progressed per source)."),
    _d("contacts_open_early_help", "Contacts about a child open to early help",
       "Children on contacts received in the period with an early help episode open on the "
       "day of receipt", "Children on contacts received in the period", NEUTRAL, PERCENT,
       f"{EH}; seed 002 (181 = 5.0%)", compute=eh.contacts_open_early_help,
       scopes=AUTHORITY_ONLY),
    _d("contacts_screened_in_standard", "Contacts screened within the authority's standard",
       "Children on contacts received in the period with a screening decision within the "
       "authority's screening standard (hours or working days, and when its clock starts)",
       "Children on contacts received in the period", HIGHER, PERCENT,
       "seeds 002 (24 hours), 003 (same working day)",
       compute=eh.contacts_screened_in_standard, scopes=AUTHORITY_ONLY,
       notes="The standard is an authority setting (admin: Authority)."),
) + care_kpis.definitions(_d)  # fmt: skip
KPIS += workforce_kpis.definitions()

BY_CODE: dict[str, KpiDefinition] = {k.code: k for k in KPIS}
CODES: tuple[str, ...] = tuple(BY_CODE)


def get(code: str) -> KpiDefinition:
    return BY_CODE[code]

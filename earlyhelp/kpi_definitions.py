"""The early help and front-door KPIs' written definitions (issue 22).

Found by ``metrics.registry`` (which never imports early help); the computations are in
``earlyhelp/kpis.py``.
"""

from __future__ import annotations

from earlyhelp import kpi_contact_sources as contact_sources
from earlyhelp import kpis as eh
from metrics.kpi_definition import (
    AUTHORITY_ONLY,
    COUNT,
    HIGHER,
    LOWER,
    NEUTRAL,
    PERCENT,
    RATE,
)
from metrics.kpi_definition import define as _d

# The dashboard lists them after the social-care KPIs (0), before children in care (20).
DASHBOARD_POSITION = 10
EH = "Authority measure (early help)"


def definitions() -> tuple:
    return (
        # Early help and the whole front door (issue 22): earlyhelp/kpis.py.
        _d("early_help_assessments", "Early help assessments started",
           "Early help assessments started in the period", "Early help assessments started in the "
           "period", NEUTRAL, COUNT, EH, compute=eh.early_help_assessments,
           scopes=AUTHORITY_ONLY),
        _d("rate_early_help_per_10k", "Early help assessments per 10,000 children",
           "Early help assessments started in the period",
           "Child population aged 0-17 for the financial year of the period end", NEUTRAL, RATE,
           EH, compute=eh.rate_early_help_per_10k, scopes=AUTHORITY_ONLY,
           notes="Not annualised."),
        _d("early_help_closed_needs_met", "Early help closed with needs met",
           "Early help episodes closed in the period with the reason 'needs met'",
           "Early help episodes closed in the period", HIGHER, PERCENT, EH,
           compute=eh.early_help_closed_needs_met, scopes=AUTHORITY_ONLY),
        _d("early_help_stepped_up_12m", "Early help followed by a referral within 12 months",
           "Early help episodes closed in the period (not by stepping up) whose child was "
           "referred to children's social care within 12 months of the closure",
           "Early help episodes closed in the period, not by stepping up", LOWER, PERCENT,
           EH,
           compute=eh.early_help_stepped_up_12m, scopes=AUTHORITY_ONLY,
           notes="Periods less than 12 months old are still filling in."),
        _d("stepdown_to_early_help", "Step-downs to early help",
           "Early help requests in the period stepped down from social care (after an "
           "assessment or at the closure of a child in need episode)",
           "Early help requests in the period", NEUTRAL, COUNT, EH,
           compute=eh.stepdown_to_early_help, scopes=AUTHORITY_ONLY),
        _d("contacts_by_source", "Contacts progressed (all sources)",
           "Children on contacts received in the period screened to a referral or to early help",
           "Children on contacts received in the period", NEUTRAL, PERCENT,
           "Authority measure: contacts by source and what happened to them",
           compute=eh.contacts_by_source, scopes=AUTHORITY_ONLY,
           summary=contact_sources.refresh,
           notes="Split by source on the early help page (contacts and % progressed per source)."),
        _d("contacts_open_early_help", "Contacts about a child open to early help",
           "Children on contacts received in the period with an early help episode open on the "
           "day of receipt", "Children on contacts received in the period", NEUTRAL, PERCENT,
           EH, compute=eh.contacts_open_early_help,
           scopes=AUTHORITY_ONLY),
        _d("contacts_screened_in_standard", "Contacts screened within the authority's standard",
           "Children on contacts received in the period with a screening decision within the "
           "authority's screening standard (hours or working days, and when its clock starts)",
           "Children on contacts received in the period", HIGHER, PERCENT,
           "Authority measure: the authority's own screening standard",
           compute=eh.contacts_screened_in_standard, scopes=AUTHORITY_ONLY,
           notes="The standard is an authority setting (admin: Authority)."),
    )  # fmt: skip

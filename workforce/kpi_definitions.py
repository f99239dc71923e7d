"""The workforce KPIs' written definitions (issue 21).

Found by ``metrics.registry`` (which never imports the workforce app); the computations
are in ``workforce/kpis.py``.
"""

from __future__ import annotations

from metrics.kpi_definition import (
    AT_END,
    COUNT,
    HIGHER,
    IN_PERIOD,
    LOWER,
    NEUTRAL,
    PERCENT,
    PERIODS,
    RATIO,
)
from metrics.kpi_definition import define as _d
from workforce import kpis

CSWW = "DfE Children's social work workforce census (CSWW)"
SEP_TEAMS = ("authority", "team")
# The dashboard lists them last, after children in care (20).
DASHBOARD_POSITION = 30


def definitions() -> tuple:
    def d(code, title, num, den, polarity, unit, source, **kw):
        kw.setdefault("period_rule", AT_END)
        return _d(code, title, num, den, polarity, unit, source, kind=PERIODS,
                  compute=getattr(kpis, code), scopes=SEP_TEAMS, **kw)  # fmt: skip

    return (
        d("agency_rate", "Agency social workers",
          "FTE of agency social workers in post at the period end",
          "FTE of agency and authority-employed social workers in post at the period end",
          LOWER, PERCENT, f"{CSWW}; England 17.8% (2023)"),
        d("vacancy_rate", "Social worker vacancies",
          "Vacant FTE at the period end: each post's budgeted FTE less the FTE of "
          "authority-employed workers in it (agency cover does not fill a vacancy)",
          "Vacant FTE plus authority-employed social worker FTE at the period end",
          LOWER, PERCENT, f"{CSWW}; England 18.9% (2023)"),
        d("turnover_rate_12m", "Social worker turnover (12 months)",
          "FTE of authority-employed social workers who left the authority in the 12 months "
          "to the period end", "Authority-employed social worker FTE in post at the period end",
          LOWER, PERCENT, f"{CSWW}; England 15.9% (2023), 13.8% (2024)",
          period_rule="Leavers in the 12 months to the period end; FTE at the period end."),
        d("absence_rate", "Sickness absence",
          "Working days lost to sickness in absences starting in the period "
          "(authority-employed social workers)",
          "Authority-employed social worker FTE at the period end x working days in the period",
          LOWER, PERCENT, f"{CSWW}; England 3.2% (2023)", period_rule=IN_PERIOD),
        d("newly_qualified_share", "Newly qualified social workers",
          "Social workers in their assessed and supported year in employment (ASYE) in post "
          "at the period end, head count", "Social workers in post at the period end, head count",
          NEUTRAL, PERCENT, f"{CSWW} (CFKSSstatus 1)"),
        d("span_of_control", "Team managers' span of control",
          "Staff line-managed by team managers (social workers, senior practitioners, family "
          "and business support) in post at the period end, in teams with a manager",
          "Team managers in post at the period end", LOWER, RATIO,
          "Authority measure: about 10 staff (8 social workers and 2 family workers) is a "
          "safe span for a team manager"),
        d("workers_over_caseload_threshold", "Workers over the caseload threshold",
          "Case-holding social workers in post at the period end holding more children than "
          "the authority's caseload threshold", "Case-holding social workers in post",
          LOWER, COUNT,
          "Authority measure: the caseload threshold (about 25 children per full-time worker)"),
        d("supervision_in_time", "Children supervised in time",
          "Children allocated at the period end whose latest case supervision is within the "
          "authority's standard (days) before it, or allocated more recently than that",
          "Children allocated at the period end", HIGHER, PERCENT,
          "Local standard: case supervision every 4 weeks (shared notes A3)",
          notes="Not computed for periods ending before the first recorded case supervision."),
        d("audits_good_or_better", "Case file audits good or better",
          "Audits completed in the period graded good or outstanding (the moderated grade "
          "where moderated)", "Audits completed in the period", HIGHER, PERCENT,
          "Ofsted four-point scale; monthly case file audits (authority measure)",
          period_rule=IN_PERIOD),
    )  # fmt: skip

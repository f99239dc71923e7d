"""KPI pages for heads of service and managers: dashboard, one KPI, drill-down, downloads.

Views authorise, parse the period and scope, call a selector and render. Values come
from stored snapshots; only the drill-down lists query case rows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from casework.models import Team
from metrics import charts, exports, selectors
from metrics import periods as P
from metrics.exports import Table
from metrics.registry import BY_CODE, KPIS

TREND_MONTHS = 12


def _authorise(user) -> None:
    # Aggregate figures are for managers and above; social workers use their worktray.
    if not (user.sees_everything or user.is_manager):
        raise PermissionDenied


def _period_and_scope(request) -> tuple[P.Period, str, int | None, list[str]]:
    errors = []
    default = P.year_to_date(timezone.localdate()).name
    try:
        period = P.parse(request.GET.get("period") or default)
    except P.PeriodError as exc:
        errors.append(str(exc))
        period = P.parse(default)
    try:
        scope_type, scope_id = selectors.parse_scope(request.GET.get("scope") or "authority")
    except selectors.ScopeError as exc:
        errors.append(str(exc))
        scope_type, scope_id = "authority", None
    return period, scope_type, scope_id, errors


@login_required
def dashboard(request):
    _authorise(request.user)
    period, scope_type, scope_id, errors = _period_and_scope(request)
    rows = selectors.dashboard_rows(period=period, scope_type=scope_type, scope_id=scope_id)
    scope = selectors.format_scope(scope_type, scope_id)
    if fmt := exports.requested(request):
        return exports.download(fmt, f"kpis-{period.name}-{scope}", Table(
            f"KPIs {period.name}",
            ["kpi", "title", "period", "scope", "numerator", "denominator", "value", "target"],
            [
                [r["kpi"].code, r["kpi"].title, period.name, scope,
                 r["snapshot"].numerator if r["snapshot"] else None,
                 r["snapshot"].denominator if r["snapshot"] else None,
                 r["value"], r["target"].value if r["target"] else None]
                for r in rows
            ],
        ))  # fmt: skip
    context = {
        "period": period,
        "scope": scope,
        "rows": rows,
        "errors": errors,
        "scope_options": [("authority", "Whole authority")]
        + [(f"team:{t.pk}", t.name) for t in Team.objects.filter(is_active=True).order_by("name")],
        "previous_period": period.previous(),
    }
    return render(request, "metrics/dashboard.html", context)


@login_required
def kpi_detail(request, code: str):
    _authorise(request.user)
    kpi = BY_CODE.get(code) or _not_found()
    period, scope_type, scope_id, errors = _period_and_scope(request)
    last = period.end.replace(day=1)
    months = [P.month(P.add_months(last, -i)) for i in reversed(range(TREND_MONTHS))]
    trend = {
        s.period: s
        for s in selectors.snapshot_trend(
            kpi=code, period_names=[m.name for m in months], scope_type=scope_type,
            scope_id=scope_id,
        )
    }  # fmt: skip
    trend_rows = [(m, trend.get(m.name)) for m in months]
    teams = {t.pk: t.name for t in Team.objects.all()}
    breakdown = [(teams.get(s.scope_id, s.scope_id), s) for s in
                 selectors.team_breakdown(kpi=code, period=period.name)]  # fmt: skip
    scope = selectors.format_scope(scope_type, scope_id)
    if fmt := exports.requested(request):
        if request.GET.get("table") == "teams":
            return exports.download(fmt, f"{code}-teams-{period.name}", Table(
                f"By team {period.name}", ["team", "numerator", "denominator", "value"],
                [[name, s.numerator, s.denominator, s.value] for name, s in breakdown],
            ))  # fmt: skip
        return exports.download(fmt, f"{code}-trend-{scope}", Table(
            "Trend", ["period", "numerator", "denominator", "value"],
            [[m.name, s.numerator, s.denominator, s.value] if s else
             [m.name, None, None, None] for m, s in trend_rows],
        ))  # fmt: skip
    return render(
        request,
        "metrics/kpi_detail.html",
        {"kpi": kpi, "period": period, "scope": scope, "trend_rows": trend_rows,
         "breakdown": breakdown, "errors": errors,
         "chart": charts.trend_chart(kpi, trend_rows)},
    )  # fmt: skip


@login_required
def drilldown(request, code: str, part: str):
    _authorise(request.user)
    if code not in BY_CODE or part not in ("numerator", "denominator"):
        _not_found()
    period, scope_type, scope_id, errors = _period_and_scope(request)
    records = selectors.drilldown_records(
        kpi=code, period=period, scope_type=scope_type, scope_id=scope_id,
        numerator=part == "numerator",
    )  # fmt: skip
    if records is None:
        _not_found()
    see_restricted = request.user.sees_everything
    rows = [
        (r.child.la_child_id, r.child.full_name if see_restricted or not r.child.is_restricted
         else "Restricted record", r.event_on)
        for r in records
    ]  # fmt: skip
    scope = selectors.format_scope(scope_type, scope_id)
    if fmt := exports.requested(request):
        table = Table(f"{part} {period.name}", ["child", "name", "date"], rows)
        return exports.download(fmt, f"{code}-{part}-{period.name}-{scope}", table)
    return render(
        request,
        "metrics/drilldown.html",
        {"kpi": BY_CODE[code], "part": part, "period": period, "scope": scope, "rows": rows},
    )


def _not_found():
    raise Http404("No such KPI")


__all__ = ["KPIS", "dashboard", "drilldown", "kpi_detail"]

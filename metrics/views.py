"""KPI pages for heads of service and managers: dashboard, one KPI, drill-down, downloads
(CSV and XLSX), targets, the on-demand recompute and the caseload page.

Views authorise, parse the period and scope, call a selector and render. Values come
from stored snapshots; only the drill-down lists query case rows, and those go through
the one visibility rule (accounts.permissions): a figure counts every record, its list
shows the children the user may open and says how many it leaves out.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts.audit import audit_children_access
from accounts.models import AuditEvent
from accounts.permissions import can, can_view_kpis, visible_children, visible_to
from casework.errors import DomainError
from casework.models import Team, Worker
from casework.selectors.caseload import current_authority, teams_overview
from metrics import (
    charts,
    comparators,
    drilldown_list,
    exports,
    forecast,
    selectors,
    services,
    tables,
)
from metrics import periods as P
from metrics.coverage import data_coverage
from metrics.forms import KpiTargetForm
from metrics.models import KpiComparator, KpiTarget
from metrics.registry import BY_CODE, KPIS
from metrics.tables import caseload as tables_caseload
from metrics.tables import drilldown as tables_drilldown
from metrics.tables import forecast as tables_forecast

RECOMPUTE_QUEUED = "Recalculation queued: the figures will update when it finishes"
TARGET_SAVED = "Target saved"
HIDDEN_RECORDS = "{n} record{s} you cannot see {verb} not listed"
AT_RISK_HIDDEN = "{n} record{s} at risk about children you cannot see: counted, not named"

TREND_MONTHS = 12


def _authorise(user) -> None:
    if not can_view_kpis(user):
        raise PermissionDenied


def _can_recompute(user) -> bool:
    return can(user, "kpi_recompute")


def _period_and_scope(request, default: str | None = None):
    """(period, scope type, scope id, errors); a scope the user may not see is a 403."""
    period, scope_type, scope_id, errors = _parse_period_and_scope(request, default)
    # A manager's scopes are the teams whose children the visibility rule shows them.
    if not selectors.scope_allowed(request.user, scope_type, scope_id):
        raise PermissionDenied("You cannot see figures for that team or worker")
    return period, scope_type, scope_id, errors


def _parse_period_and_scope(request, default: str | None = None):
    errors = []
    default = default or P.year_to_date(timezone.localdate()).name
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
    table = tables.DashboardTable(rows, period=period, scope=scope,
                                  can_set_targets=can(request.user, "kpi_target_set"))  # fmt: skip
    if fmt := exports.requested(request):
        stem = f"kpis-{period.name}-{scope}"
        return exports.download(fmt, stem, table, title=f"KPIs {period.name}")
    context = {
        "period": period,
        "scope": scope,
        "rows": rows,
        "table": table,
        "errors": errors,
        "scope_options": selectors.scope_options(request.user),
        "previous_period": period.previous(),
        "can_recompute": _can_recompute(request.user),
        "can_set_targets": can(request.user, "kpi_target_set"),
        "last_computed_at": (
            selectors.last_computed_at(rows) if _can_recompute(request.user) else None
        ),
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
    allowed = selectors.scope_teams(request.user)
    team_snaps = list(selectors.team_breakdown(kpi=code, period=period.name, teams=allowed))
    teams = Team.objects.in_bulk([s.scope_id for s in team_snaps])
    breakdown = [(str(teams.get(s.scope_id, s.scope_id)), s) for s in team_snaps]
    worker_snaps = list(selectors.worker_breakdown(kpi=code, period=period.name, teams=allowed))
    workers = Worker.objects.select_related("team").in_bulk([s.scope_id for s in worker_snaps])
    worker_breakdown = [(workers.get(s.scope_id), s) for s in worker_snaps]
    scope = selectors.format_scope(scope_type, scope_id)
    query = f"period={period.name}"
    trend_table = tables.TrendTable(
        [{"month": m, "snap": s} for m, s in trend_rows], period=period,
        caption=f"Last 12 months ({scope})",
    )  # fmt: skip
    team_table = tables.TeamBreakdownTable(
        [{"name": name, "snap": s} for name, s in breakdown], period=period, query=query,
        caption=f"By team, {period.name}",
    )  # fmt: skip
    worker_table = tables.WorkerBreakdownTable(
        [{"worker": w, "snap": s} for w, s in worker_breakdown], period=period, query=query,
        caption=f"By worker, {period.name}",
    )  # fmt: skip
    if fmt := exports.requested(request):
        which = request.GET.get("table")
        if which == "teams":
            return exports.download(fmt, f"{code}-teams-{period.name}", team_table,
                                    title=f"By team {period.name}")  # fmt: skip
        if which == "workers":
            return exports.download(fmt, f"{code}-workers-{period.name}", worker_table,
                                    title=f"By worker {period.name}")  # fmt: skip
        return exports.download(fmt, f"{code}-trend-{scope}", trend_table, title="Trend")
    return render(
        request,
        "metrics/kpi_detail.html",
        {"kpi": kpi, "period": period, "scope": scope, "trend_rows": trend_rows,
         "breakdown": breakdown, "worker_breakdown": worker_breakdown, "errors": errors,
         "trend_table": trend_table, "team_table": team_table, "worker_table": worker_table,
         "target": KpiTarget.objects.filter(kpi=code).first(),
         "can_set_targets": can(request.user, "kpi_target_set"),
         "chart": charts.trend_chart(kpi, trend_rows),
         **kpi_page_extras(kpi, period, scope_type, scope_id, request=request)},
    )  # fmt: skip


def kpi_page_extras(kpi, period, scope_type, scope_id, *, request=None) -> dict:
    """Issue 23 on the KPI page: comparators for the period's kind, whether the data
    covers the period, and (for timeliness KPIs) this month's forecast, its at-risk
    records naming the children the user may see (audited; the others counted)."""
    today = timezone.localdate()
    found = list(KpiComparator.objects.filter(kpi=kpi.code))
    predicted = None
    if kpi.code in forecast.CODES:
        predicted = forecast.kpi_forecast(
            kpi.code, today=today, scope_type=scope_type, scope_id=scope_id
        )
    shown = comparators.for_period(found, period)
    return {
        "comparators": shown,
        "comparator_table": tables_forecast.ComparatorTable(
            shown, caption=f"Comparators for {period.name}"
        ),
        "partial": data_coverage(today).partial_reason(kpi.code, period),
        "forecast": predicted,
        **(_at_risk_children(request, predicted) if predicted and request else {}),
    }


def _at_risk_children(request, predicted) -> dict:
    """Each at-risk record's child where the visibility rule lets the user see them (one
    query), each named child audited; records of the others are counted, not named."""
    children = visible_children(request.user).in_bulk({r.child_id for r in predicted.at_risk})
    rows = [(risk, children.get(risk.child_id)) for risk in predicted.at_risk]
    audit_children_access(request, list(children.values()))
    hidden = sum(1 for _, child in rows if child is None)
    message = AT_RISK_HIDDEN.format(n=hidden, s="" if hidden == 1 else "s")
    table = tables_forecast.AtRiskTable(rows, caption="Records at risk by due date")
    return {"at_risk_rows": rows, "at_risk_table": table, "at_risk_hidden": hidden,
            "at_risk_hidden_message": message}  # fmt: skip


@login_required
def drilldown(request, code: str, part: str):
    _authorise(request.user)
    if code not in BY_CODE or part not in ("numerator", "denominator"):
        _not_found()
    period, scope_type, scope_id, errors = _period_and_scope(request)
    query = {"kpi": code, "period": period, "scope_type": scope_type, "scope_id": scope_id}
    found = selectors.drilldown(**query, numerator=part == "numerator")
    if found is None:
        _not_found()
    show = drilldown_list.shown(request)
    if part == "denominator" and found.member == "event" and show != "all":
        numerator = selectors.drilldown(**query, numerator=True)
        found.rows = drilldown_list.narrowed(found.rows, numerator.rows, show)
    scope = selectors.format_scope(scope_type, scope_id)
    fmt = exports.requested(request)
    table, hidden = _drilldown_table(request, found, export=bool(fmt))
    if fmt:
        stem = f"{code}-{part}-{period.name}-{scope}"
        return exports.download(fmt, stem, table, title=f"{part} {period.name}")
    table.caption = tables_drilldown.caption(table, found.member)
    context = {
        "kpi": BY_CODE[code], "part": part, "period": period, "scope": scope,
        "rows": tables_drilldown.page_values(table), "table": table,
        "drill": found, "errors": errors, "hidden": hidden,
        "hidden_message": HIDDEN_RECORDS.format(
            n=hidden, s="" if hidden == 1 else "s", verb="is" if hidden == 1 else "are"),
        "page_obj": getattr(table, "page", None), "show": show,
        "show_options": drilldown_list.SHOW, "sort": request.GET.get("sort", ""),
        "base_query": f"period={period.name}&scope={scope}",
    }  # fmt: skip
    return render(request, "metrics/drilldown.html", context)


def _drilldown_table(request, found: selectors.Drilldown, *, export: bool):
    """(table, hidden count): children narrowed by the one visibility rule.

    The figure counts every record (restricted ones too); the list shows only the
    children the user may open and says how many more there are, so the two reconcile.
    Each child shown is audited (an export as EXPORT). The page shows one sorted page of
    rows; a download has them all, in the same order, with the same columns.
    """
    if found.population:
        return tables_drilldown.PopulationTable([], headers=["population"], export=export), 0
    if found.member == "worker":
        headers = ["worker", "name", "team", "fte", found.date_label.lower()]
        rows = list(found.rows)
        return tables_drilldown.WorkerDrilldownTable(rows, headers=headers, export=export), 0
    total = found.rows.count()
    if found.child_field == "pk":
        visible = visible_children(request.user, found.rows)
    else:
        visible = visible_to(request.user, found.rows, child_field=found.child_field)
    visible = drilldown_list.with_holder(visible, found.child_field)
    headers = ["child", "name", found.date_label.lower(),
               *drilldown_list.extra_header(found.clock_label)]  # fmt: skip
    table = tables_drilldown.ChildDrilldownTable(
        visible, child_field=found.child_field, headers=headers, export=export
    )
    paginate = False if export else {"per_page": drilldown_list.PER_PAGE}
    RequestConfig(request, paginate=paginate).configure(table)
    # One query for the rows, kept: the audit and the table read the same rows.
    if export:
        shown = list(table.data)  # the queryset caches them for the export
    else:
        table.page.object_list = list(table.page.object_list)
        shown = [row.record for row in table.page.object_list]
    count = len(shown) if export else table.paginator.count
    action = AuditEvent.Action.EXPORT if export else AuditEvent.Action.VIEW
    audit_children_access(request, [table.child_of(record) for record in shown], action)
    return table, total - count


@login_required
@require_POST
def recompute(request):
    if not _can_recompute(request.user):
        raise PermissionDenied
    services.kpi_recompute_queue()
    messages.success(request, RECOMPUTE_QUEUED)
    return redirect(reverse("metrics:dashboard") + _query(request.POST))


def _query(data) -> str:
    period, scope = data.get("period", ""), data.get("scope", "")
    return f"?period={period}&scope={scope}" if period and scope else ""


@login_required
def target_edit(request, code: str):
    if not can(request.user, "kpi_target_set"):
        raise PermissionDenied
    kpi = BY_CODE.get(code) or _not_found()
    target = KpiTarget.objects.filter(kpi=code).first()
    if request.method == "POST":
        form = KpiTargetForm(request.POST, kpi=kpi)
        if form.is_valid():
            try:
                # A savepoint: a refused change leaves nothing half-saved.
                with transaction.atomic():
                    services.kpi_target_set(
                        kpi=code, value=form.cleaned_data["value"],
                        amber_threshold=form.cleaned_data["amber_threshold"], by=request.user,
                    )  # fmt: skip
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, TARGET_SAVED)
                return redirect("metrics:kpi", code=code)
    else:
        initial = (
            {"value": target.value, "amber_threshold": target.amber_threshold} if target else {}
        )
        form = KpiTargetForm(initial=initial, kpi=kpi)
    history = list(target.history.select_related("history_user")[:20]) if target else []
    return render(request, "metrics/target_form.html",
                  {"kpi": kpi, "form": form, "history": history,
                   "history_table": tables.TargetHistoryTable(history)})  # fmt: skip


CASELOAD_KPIS = ("caseload_per_worker", "caseload_dfe", "unallocated_cases")


@login_required
def caseload(request):
    """Caseloads side by side: head count, per FTE and the DfE method, by team and worker.

    Live team figures come from the caseload board's selector; the KPI figures, the
    workers over threshold and the 12-month trend from the stored snapshots.
    """
    _authorise(request.user)
    period, _, _, errors = _period_and_scope(request, P.month(timezone.localdate()).name)
    allowed = selectors.scope_teams(request.user)
    authority = current_authority()
    figures = selectors.caseload_figures(
        period=period, kpis=CASELOAD_KPIS, teams=allowed, trend_months=TREND_MONTHS
    )
    overview = teams_overview(authority=authority)
    if allowed is not None:
        overview = overview.filter(pk__in=allowed.values("pk"))
    workers = Worker.objects.select_related("team").in_bulk(list(figures["workers"]))
    worker_rows = []
    for worker_id, snap in figures["workers"].items():
        worker = workers.get(worker_id)
        if worker is None:
            continue
        per_fte = (snap.numerator / worker.fte).quantize(Decimal("0.1")) if worker.fte else None
        over = snap.numerator > authority.caseload_threshold
        worker_rows.append({"worker": worker, "children": snap.numerator, "per_fte": per_fte,
                            "over": over})  # fmt: skip
    worker_rows.sort(key=lambda r: (not r["over"], -r["children"], r["worker"].last_name))
    team_rows = [
        {"team": t, "live_children": t.children, "case_holders": t.case_holders,
         "per_worker": figures["teams"].get(("caseload_per_worker", t.pk)),
         "dfe": figures["teams"].get(("caseload_dfe", t.pk))}
        for t in overview
    ]  # fmt: skip
    context = {
        "period": period,
        "errors": errors,
        "authority": authority,
        "headline": figures["authority"],
        "team_rows": team_rows,
        "worker_rows": worker_rows,
        "team_table": tables_caseload.TeamCaseloadTable(team_rows, period=period),
        "worker_table": tables_caseload.WorkerCaseloadTable(
            worker_rows, period=period, threshold=authority.caseload_threshold
        ),
        "trend_table": tables_caseload.CaseloadTrendTable(figures["trend"]),
        "over_threshold": sum(1 for r in worker_rows if r["over"]),
        "trend": figures["trend"],
    }
    return render(request, "metrics/caseload.html", context)


def _not_found():
    raise Http404("No such KPI")


__all__ = ["KPIS", "dashboard", "drilldown", "kpi_detail", "recompute", "target_edit"]

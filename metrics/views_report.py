"""The quarterly performance report page (printable HTML) and its XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from metrics import exports
from metrics import periods as P
from metrics import report as R
from metrics.views import _authorise


@login_required
def quarterly_report(request):
    _authorise(request.user)
    default = P.financial_year(P.fy_start_year(timezone.localdate()))
    errors = []
    try:
        spec = R.parse_report(request.GET.get("year") or default.name)
    except P.PeriodError as exc:
        errors.append(str(exc))
        spec = R.parse_report(default.name)
    report = R.quarterly_report(spec)
    year = spec.whole
    if not errors and exports.requested(request) == exports.XLSX:
        filename = f"kpi-report-{year.name if year.kind != R.CUSTOM else 'months'}"
        return exports.workbook_response(filename, R.report_tables(report))
    return render(
        request,
        "metrics/report.html",
        {**report, "errors": errors, "year_text": request.GET.get("year") or year.name},
    )

"""The quarterly performance report page (printable HTML) and its XLSX."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import can
from casework.errors import DomainError
from metrics import commentary, exports
from metrics import periods as P
from metrics import report as R
from metrics.registry import BY_CODE
from metrics.tables import report as tables_report
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
    notes = commentary.commentary_for(spec.name)
    if not errors and exports.requested(request) == exports.XLSX:
        filename = f"kpi-report-{year.name if year.kind != R.CUSTOM else 'months'}"
        tables = R.report_tables(report) + R.commentary_tables(notes)
        return exports.workbook_response(filename, tables)
    return render(
        request,
        "metrics/report.html",
        {
            **report,
            "errors": errors,
            "breakdown_tables": tables_report.breakdown_tables(report),
            "year_text": request.GET.get("year") or year.name,
            "section_notes": {s: c.text for (s, kpi), c in notes.items() if c.text and not kpi},
            "line_notes": {
                s.key: [
                    (BY_CODE[k].title, notes[(s.key, k)].text)
                    for k in s.codes
                    if (s.key, k) in notes and notes[(s.key, k)].text
                ]
                for s in R.SECTIONS
            },
            "can_comment": can(request.user, "report_comment"),
            "partial_columns": R.partial_columns(spec),
        },
    )


COMMENTARY_SAVED = "Commentary saved"


@login_required
def report_commentary(request):
    """The head of service writes the report's commentary, per section and per line."""
    if not can(request.user, "report_comment"):
        raise PermissionDenied(commentary.COMMENTARY_ROLE)
    try:
        spec = R.parse_report(request.GET.get("year") or "")
    except P.PeriodError as exc:
        raise Http404(str(exc)) from exc
    found = commentary.commentary_for(spec.name)
    lines = [(section, [("", section.title)] + [(c, BY_CODE[c].title) for c in section.codes])
             for section in R.SECTIONS]  # fmt: skip
    error = None
    values = {commentary.field_name(s, k): c.text for (s, k), c in found.items()}
    if request.method == "POST":
        entries = {
            (section.key, code): request.POST.get(commentary.field_name(section.key, code), "")
            for section, items in lines
            for code, _ in items
        }
        values = {commentary.field_name(s, k): text for (s, k), text in entries.items()}
        try:
            with transaction.atomic():
                commentary.report_commentary_save(report=spec.name, entries=entries,
                                                  by=request.user)  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, COMMENTARY_SAVED)
            return redirect(f"{reverse('metrics:report')}?year={quote(spec.name)}")
    fields = [
        (section, [(commentary.field_name(section.key, code), label, values.get(
            commentary.field_name(section.key, code), "")) for code, label in items])
        for section, items in lines
    ]  # fmt: skip
    return render(request, "metrics/report_commentary.html",
                  {"spec": spec, "fields": fields, "error": error,
                   "max_length": commentary.MAX_LENGTH})  # fmt: skip

"""The SSDA903 return on the returns page: the validator's findings per child (checked in the
background, ``check_runs``), and the CSVs.

Administrators only, like the other returns; every child named on the page (or in the files)
is audited as viewed (or exported).
"""

from __future__ import annotations

import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import audit_children_queryset
from accounts.models import AuditEvent
from casework.models import Child
from metrics.returns import ssda903
from metrics.returns.check_runs import (
    SSDA903,
    census_check_request,
    latest_run,
    latest_ssda903_validation,
)
from metrics.returns.views import YearForm, administrators_only


def _year_or_404(year: int) -> int:
    field = YearForm.base_fields["year"]
    if not field.min_value <= year <= field.max_value:
        raise Http404("No SSDA903 return for that year")
    return year


@administrators_only
@require_http_methods(["GET", "POST"])
def ssda903_checks(request, year: int):
    """The latest findings for the year. POST queues a check of the records as they are now
    (a background job: the validator takes minutes on a county's return); the page shows it
    running, then its findings per child."""
    _year_or_404(year)
    if request.method == "POST":
        census_check_request(year=year, by=request.user, return_type=SSDA903)
        messages.success(request, f"The SSDA903 {year} checks have started: this page shows them.")
        return redirect("returns:ssda903_checks", year=year)
    context = {"year": year, "run": latest_run(year, SSDA903)}
    found = latest_ssda903_validation(year)
    if found is None:
        return render(request, "returns/ssda903_checks.html", context)
    result, done = found
    report = result.report
    ids = {f.la_child_id for f in report.findings if f.la_child_id}
    named = Child.objects.filter(la_child_id__in=ids)
    audit_children_queryset(request, named, AuditEvent.Action.VIEW)
    pks = dict(named.values_list("la_child_id", "pk"))
    context |= {
        "result": result,
        "checked_at": done.finished_at,
        "report": report,
        "errors": [(f, pks.get(f.la_child_id)) for f in report.errors],
        "queries": [(f, pks.get(f.la_child_id)) for f in report.queries],
        "error_children": len({f.la_child_id for f in report.errors if f.la_child_id}),
    }
    return render(request, "returns/ssda903_checks.html", context)


@administrators_only
@require_GET
def ssda903_download(request, year: int):
    """The return's CSV files in one ZIP."""
    _year_or_404(year)
    ret = ssda903.build(year)
    buffer = BytesIO()
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(buffer, "w") as archive:
        for path in ssda903.write(ret, Path(scratch)):
            archive.write(path, arcname=path.name)
    ids = {row["CHILD"] for row in ret.tables["Header"]}
    audit_children_queryset(request, Child.objects.filter(la_child_id__in=ids),
                            AuditEvent.Action.EXPORT)  # fmt: skip
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ssda903-{year}.zip"'
    return response

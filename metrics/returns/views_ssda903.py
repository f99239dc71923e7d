"""The SSDA903 return on the returns page: the validator's findings per child, and the CSVs.

Administrators only, like the other returns; every child named on the page (or in the files)
is audited as viewed (or exported).
"""

from __future__ import annotations

import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.audit import audit_children_queryset
from accounts.models import AuditEvent
from casework.models import Child
from metrics.returns import ssda903
from metrics.returns.ssda903_validator import ValidatorUnavailable, validate_return
from metrics.returns.views import YearForm, administrators_only


def _year_or_404(year: int) -> int:
    field = YearForm.base_fields["year"]
    if not field.min_value <= year <= field.max_value:
        raise Http404("No SSDA903 return for that year")
    return year


@administrators_only
@require_GET
def ssda903_checks(request, year: int):
    _year_or_404(year)
    try:
        result = validate_return(year)
    except ValidatorUnavailable as exc:
        return render(request, "returns/ssda903_checks.html", {"year": year, "problem": str(exc)})
    report = result.report
    ids = {f.la_child_id for f in report.errors if f.la_child_id}
    named = Child.objects.filter(la_child_id__in=ids)
    audit_children_queryset(request, named, AuditEvent.Action.VIEW)
    pks = dict(named.values_list("la_child_id", "pk"))
    context = {
        "year": year,
        "result": result,
        "report": report,
        "errors": [(f, pks.get(f.la_child_id)) for f in report.errors],
        "error_children": len(ids),
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

"""Pages for administrators: run the CIN census and Annex A exports, see the census checks."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import audit_children_queryset
from accounts.models import AuditEvent
from accounts.permissions import can
from casework.models import Child
from metrics.returns.audit import annex_a_children, census_return_children
from metrics.returns.check_runs import census_check_request, latest_census_validation, latest_run
from metrics.returns.export_jobs import annex_a_job_create, export_job_create, recent_jobs
from metrics.returns.models import ReturnExportJob
from metrics.returns.service import returns_dir
from metrics.returns.xlsx import validation_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def administrators_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or can(request.user, "returns_run")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _default_year() -> int:
    today = timezone.localdate()
    return today.year if today.month > 3 else today.year - 1


def _default_as_of():
    """Annex A is usually asked for up to the end of the last full month."""
    return timezone.localdate().replace(day=1) - timedelta(days=1)


class YearForm(forms.Form):
    year = forms.IntegerField(label="Census year ending 31 March", min_value=2009, max_value=2045)


class AnnexAForm(forms.Form):
    as_of = forms.DateField(
        label="Lists as of",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as day/month/year, for example 31/03/2025"},
    )

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return as_of


@administrators_only
@require_http_methods(["GET", "POST"])
def returns_home(request):
    form = YearForm(request.POST or None, initial={"year": _default_year()})
    if request.method == "POST" and form.is_valid():
        job = export_job_create(year=form.cleaned_data["year"], by=request.user)
        messages.success(request, f"The {job.year} CIN census export has started.")
        return redirect("returns:home")
    return _home(request, form=form, annex_form=_annex_form())


@administrators_only
@require_http_methods(["POST"])
def annex_a_start(request):
    annex_form = AnnexAForm(request.POST)
    if annex_form.is_valid():
        job = annex_a_job_create(as_of=annex_form.cleaned_data["as_of"], by=request.user)
        messages.success(request, f"The {job.title} export has started.")
        return redirect("returns:home")
    form = YearForm(initial={"year": _default_year()})
    return _home(request, form=form, annex_form=annex_form)


def _annex_form() -> AnnexAForm:
    return AnnexAForm(initial={"as_of": _default_as_of().strftime("%d/%m/%Y")})


def _home(request, *, form, annex_form):
    # The checks link needs a real year even while the form shows a mistyped one.
    checks_year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "annex_form": annex_form,
        "jobs": recent_jobs(),
        "checks_year": checks_year or _default_year(),
    }
    return render(request, "returns/home.html", context)


@administrators_only
@require_GET
def export_download(request, job_id: str):
    # Ids are numbers; anything else (an old link to a JSON-file job) is not found.
    known = job_id.isdigit() and len(job_id) < 19  # a bigint
    job = ReturnExportJob.objects.filter(pk=int(job_id)).first() if known else None
    if job is None:
        raise Http404("No such export")
    if job.status != ReturnExportJob.Status.DONE:
        raise Http404("This export has not finished")
    path = returns_dir() / job.file
    if not path.is_file():
        raise Http404("The file of this export is no longer there: start the export again")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file)
    if job.kind == ReturnExportJob.Kind.ANNEX_A:
        children = annex_a_children(job.as_of)
    else:
        children = census_return_children(job.year)
    audit_children_queryset(request, children, AuditEvent.Action.EXPORT)
    return response


@administrators_only
@require_http_methods(["GET", "POST"])
def census_checks(request, year: int):
    """The latest findings for the year. POST queues a check of the records as they are now
    (a background job: the validator takes minutes); the page shows it running, then its
    findings."""
    year_field = YearForm.base_fields["year"]
    if not year_field.min_value <= year <= year_field.max_value:
        raise Http404("No CIN census for that year")
    if request.method == "POST":
        census_check_request(year=year, by=request.user)
        messages.success(request, f"The {year} checks have started: this page shows them.")
        return redirect("returns:checks", year=year)
    run = latest_run(year)
    result = latest_census_validation(year)
    context = {"year": year, "run": run, "result": result}
    if result is None:
        return render(request, "returns/checks.html", context)
    # Each child named in the findings is audited: viewed on the page, exported as XLSX.
    findings = [*result.report.errors, *result.report.queries]
    named = Child.objects.filter(la_child_id__in={f.la_child_id for f in findings if f.la_child_id})
    exported = request.GET.get("format") == "xlsx"
    audit_children_queryset(
        request, named, AuditEvent.Action.EXPORT if exported else AuditEvent.Action.VIEW
    )
    if exported:
        buffer = BytesIO()
        validation_workbook(result).save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="cin-census-{year}-checks.xlsx"'
        return response
    report, pks = result.report, result.child_pks
    context |= {
        "report": report,
        # (finding, child record id or None): each row links to the record to fix.
        "errors": [(f, pks.get(f.la_child_id)) for f in report.errors],
        "queries": [(f, pks.get(f.la_child_id)) for f in report.queries],
        "error_children": len({f.la_child_id for f in report.errors if f.la_child_id}),
    }
    return render(request, "returns/checks.html", context)

"""Case file audits: the list and results (only audits of children the user may see),
starting an audit from the child's record, completing, moderating and actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts.audit import audit_children_access
from accounts.models import AuditEvent
from accounts.permissions import can, visible_to
from casework.errors import DomainError
from casework.models import Child, Worker
from casework.views.recording import recording_page
from metrics import exports
from workforce import selectors
from workforce.forms import AuditActionForm, AuditForm, ModerationForm
from workforce.models import AuditAction, CaseAudit
from workforce.services import audits as A
from workforce.tables import AuditResultsTable, AuditTable


def _auditors_only(view):
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can(request.user, "case_file_audit"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _visible_audits(user):
    """Audits follow the child's visibility (accounts.permissions)."""
    return visible_to(user, CaseAudit.objects.all(), case_detail=True)


def _audit_or_404(user, child: int, pk: int) -> CaseAudit:
    audits = _visible_audits(user).select_related("child", "team", "worker")
    audit = audits.filter(pk=pk, child=child).first()
    if audit is None:
        raise Http404
    return audit


@_auditors_only
def audit_list(request):
    """The audits (downloadable whole, ``?format=csv|xlsx``), their open actions and the
    completed audits' results by team and theme."""
    today = timezone.localdate()
    audits = _visible_audits(request.user).select_related("child", "team", "worker")
    table = AuditTable(
        audits.order_by("status", "-audited_on", "-pk"), user=request.user, today=today,
        prefix="audits-", caption="Audits", empty_text="No audits yet.",
    )  # fmt: skip
    fmt = exports.requested(request)
    if fmt:
        RequestConfig(request, paginate=False).configure(table)
        rows = list(table.data)
        audit_children_access(request, [a.child_id for a in rows], AuditEvent.Action.EXPORT)
        return exports.download(fmt, f"case-file-audits-{today:%Y-%m-%d}", table, title="Audits")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    results = selectors.audit_results(selectors.completed_audits(audits))
    context = {
        "table": table,
        "download_query": exports.download_query(request),
        "actions": selectors.open_actions(_visible_audits(request.user))[:200],
        "today": today,
        "by_team": AuditResultsTable(results["teams"], caption="Good or better by team",
                                     name="Team", total="Audited"),
        "by_theme": AuditResultsTable(results["themes"], caption="Good or better by theme",
                                      name="Theme", total="Graded"),
    }  # fmt: skip
    return render(request, "workforce/audits.html", context)


@_auditors_only
@require_POST
def sample_draw(request):
    drawn = A.audit_sample_draw(month=timezone.localdate(), by=request.user)
    messages.success(request, f"{len(drawn)} case files drawn for this month's audits")
    return redirect("workforce:audits")


@_auditors_only
def audit_new(request, child: int):
    """Audit a case file from the child's record (outside the monthly sample)."""
    record = get_object_or_404(Child, pk=child)

    def call(form):
        return A.audit_record(child=record, by=request.user, **_graded(form))

    return _audit_form(request, record, call, draft_key=f"audit-child-{record.pk}")


@_auditors_only
def audit_complete(request, child: int, pk: int):
    """Complete an audit drawn in the monthly sample."""
    audit = _audit_or_404(request.user, child, pk)

    def call(form):
        return A.audit_complete(audit=audit, by=request.user, **_graded(form))

    return _audit_form(request, audit.child, call, draft_key=f"audit-{audit.pk}")


def _graded(form) -> dict:
    data = form.cleaned_data
    return {"answers": form.answers(), "grade": data["grade"], "findings": data["findings"],
            "audited_on": data["audited_on"]}  # fmt: skip


def _audit_form(request, child, call, *, draft_key):
    return recording_page(
        request, form_class=AuditForm, call=call, success_url=reverse("workforce:audits"),
        success_message="Audit completed", title="Audit a case file", caption=child.full_name,
        initial={"audited_on": timezone.localdate()}, draft_key=draft_key,
    )  # fmt: skip


@_auditors_only
def audit_moderate(request, child: int, pk: int):
    audit = _audit_or_404(request.user, child, pk)

    def call(form):
        data = form.cleaned_data
        return A.audit_moderate(audit=audit, grade=data["grade"], notes=data["notes"],
                                moderated_on=data["moderated_on"], by=request.user)  # fmt: skip

    return recording_page(
        request, form_class=ModerationForm, call=call, success_url=reverse("workforce:audits"),
        success_message="Moderation recorded", title="Moderate an audit",
        caption=f"{audit.child.full_name}: graded {audit.get_grade_display().lower()}",
        initial={"moderated_on": timezone.localdate()},
    )  # fmt: skip


@_auditors_only
def action_new(request, child: int, pk: int):
    audit = _audit_or_404(request.user, child, pk)

    def call(form):
        data = form.cleaned_data
        return A.audit_action_add(audit=audit, description=data["description"],
                                  owner=data["owner"], due_on=data["due_on"],
                                  by=request.user)  # fmt: skip

    owners = Worker.objects.filter(team=audit.team, left_on__isnull=True)
    return recording_page(
        request, form_class=AuditActionForm, form_kwargs={"owners": owners}, call=call,
        success_url=reverse("workforce:audits"), success_message="Action added",
        title="Add an action", caption=audit.child.full_name,
    )  # fmt: skip


@_auditors_only
@require_POST
def action_done(request, child: int, pk: int, action_pk: int):
    audit = _audit_or_404(request.user, child, pk)
    action = get_object_or_404(AuditAction, pk=action_pk, audit=audit)
    try:
        with transaction.atomic():
            A.audit_action_done(action=action, done_on=timezone.localdate(), by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Action marked as done")
    return redirect("workforce:audits")

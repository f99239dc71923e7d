"""Supervision: case supervision on the child's record, workers' supervision, the
manager's overdue queue, and a social worker's own supervision (never others')."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_tables2 import RequestConfig

from accounts.audit import audit_children_access
from accounts.models import AuditEvent
from accounts.permissions import can, can_view_case_detail, visible_to
from casework.models import Child, Worker
from casework.selectors import team_for, worker_for
from casework.views.recording import recording_page
from metrics import exports
from workforce import selectors
from workforce import tables as T
from workforce.forms import SupervisionForm, WorkerSupervisionForm
from workforce.models import WorkerSupervision
from workforce.permissions import can_supervise, teams_for
from workforce.services import supervision as S
from workforce.views import team_or_404, workforce_roles


@login_required
def case_supervision_new(request, child: int):
    # ChildAccessMiddleware has already refused a child the user may not see.
    if not can(request.user, "staff_supervise"):
        raise PermissionDenied
    record = get_object_or_404(Child, pk=child)

    def call(form):
        return S.case_supervision_record(child=record, by=request.user, **_data(form))

    return recording_page(
        request, form_class=SupervisionForm, call=call,
        success_url=reverse("child", args=[record.pk]), success_message="Supervision recorded",
        title="Record case supervision", caption=record.full_name,
        initial={"held_on": timezone.localdate()}, draft_key=f"supervision-{record.pk}",
    )  # fmt: skip


@workforce_roles
def worker_supervision_new(request, worker_pk: int):
    worker = get_object_or_404(Worker, pk=worker_pk)
    if not can_supervise(request.user, worker):
        raise PermissionDenied

    def call(form):
        return S.worker_supervision_record(worker=worker, by=request.user, **_data(form))

    return recording_page(
        request, form_class=WorkerSupervisionForm, call=call,
        success_url=reverse("workforce:supervision"), success_message="Supervision recorded",
        title="Record supervision", caption=worker.full_name,
        initial={"held_on": timezone.localdate()},
    )  # fmt: skip


@workforce_roles
def queue(request):
    """Overdue case and worker supervision for the manager's team (or a chosen team);
    either list downloads whole (``?table=staff|cases&format=csv|xlsx``)."""
    today = timezone.localdate()
    team = team_for(request.user) if request.user.is_manager else None
    team_id = request.GET.get("team", "")
    if team is None and team_id.isdigit() and len(team_id) < 10:
        team = team_or_404(request.user, int(team_id))
    team = team or teams_for(request.user).order_by("name").first()
    context = {"team": team, "today": today, "teams": teams_for(request.user).order_by("name")}
    if team is None:
        return render(request, "workforce/supervision_queue.html", context)
    staff = T.StaffSupervisionTable(
        selectors.worker_supervision_due(team, on=today), today=today,
        caption="Staff supervision", empty_text="No staff in this team.",
    )  # fmt: skip
    # Children named only to those who may see case detail, and only those children they
    # may see (restricted records): business support keep the staff list alone.
    cases = None
    if can_view_case_detail(request.user):
        overdue = selectors.case_supervision_overdue(team, on=today)
        cases = T.CaseSupervisionTable(
            visible_to(request.user, overdue, case_detail=True), today=today, prefix="cases-",
            caption="Case supervision overdue", empty_text="No case supervision is overdue.",
        )  # fmt: skip
    fmt = exports.requested(request)
    if fmt:
        wanted = staff if request.GET.get("table") == "staff" else cases
        if wanted is None:
            raise PermissionDenied("Case supervision names children: it needs case detail.")
        return _download(request, fmt, team, wanted)
    RequestConfig(request, paginate=False).configure(staff)
    if cases is not None:
        RequestConfig(request, paginate={"per_page": 50}).configure(cases)
    context.update(staff=staff, cases=cases, download_query=exports.download_query(request))
    return render(request, "workforce/supervision_queue.html", context)


def _download(request, fmt, team, table):
    RequestConfig(request, paginate=False).configure(table)
    if isinstance(table, T.CaseSupervisionTable):
        # Each child named in the download is audited as exported.
        rows = list(table.data)
        audit_children_access(request, [a.child_id for a in rows], AuditEvent.Action.EXPORT)
    kind = "cases" if isinstance(table, T.CaseSupervisionTable) else "staff"
    stem = f"supervision-{kind}-{slugify(team.name)}-{timezone.localdate():%Y-%m-%d}"
    return exports.download(fmt, stem, table, title=table.caption)


@login_required
def my_supervision(request):
    """A worker's own supervision records: only ever their own."""
    worker = worker_for(request.user)
    rows = (
        WorkerSupervision.objects.filter(worker=worker).select_related("supervisor")
        if worker is not None
        else WorkerSupervision.objects.none()
    )
    table = T.MySupervisionTable(rows, empty_text="No supervision is recorded for you.")
    return render(request, "workforce/my_supervision.html", {"table": table, "worker": worker})


def _data(form) -> dict:
    return form.cleaned_data_without_token()

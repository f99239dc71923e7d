"""The workforce page (figures and capacity model) and a team's establishment, with the
forms that add posts, starters, leavers and absences."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from metrics import exports
from metrics import periods as P
from workforce import kpi_figures, selectors
from workforce.forms import AbsenceForm, LeaverForm, PostCloseForm, PostForm, StarterForm
from workforce.models import Contract, Post
from workforce.permissions import can_maintain, teams_for
from workforce.services import establishment as E
from workforce.tables import WorkforceFiguresTable
from workforce.views import team_or_404, workforce_roles


@workforce_roles
def overview(request):
    """The teams' figures and the authority's (downloadable, ``?format=csv|xlsx``)."""
    today = timezone.localdate()
    rows = kpi_figures.workforce_figures(teams=teams_for(request.user).order_by("name"), on=today)
    table = WorkforceFiguresTable(rows)
    fmt = exports.requested(request)
    if fmt:
        return exports.download(fmt, f"workforce-{today:%Y-%m-%d}", table, title="Workforce")
    context = {"rows": rows, "table": table, "today": today}
    return render(request, "workforce/overview.html", context)


@workforce_roles
def team_page(request, team_pk: int):
    team = team_or_404(request.user, team_pk)
    today = timezone.localdate()
    context = {
        "team": team,
        "posts": selectors.establishment(team, on=today),
        "leavers": selectors.leavers(team, since=P.add_months(today, -12)),
        "can_maintain": can_maintain(request.user, team),
        "supervision": selectors.worker_supervision_due(team, on=today),
        "today": today,
    }
    return render(request, "workforce/team.html", context)


def _maintainable(request, team):
    if not can_maintain(request.user, team):
        raise PermissionDenied
    return reverse("workforce:team", args=[team.pk])


@workforce_roles
def post_new(request, team_pk: int):
    team = team_or_404(request.user, team_pk)
    back = _maintainable(request, team)

    def call(form):
        return E.post_create(team=team, by=request.user, **form.cleaned_data_without_token())

    return _page(request, PostForm, call, back, "Post added", "Add a post", str(team),
                 initial={"valid_from": timezone.localdate()})  # fmt: skip


@workforce_roles
def post_close(request, post_pk: int):
    post = get_object_or_404(Post, pk=post_pk)
    team = team_or_404(request.user, post.team_id)
    back = _maintainable(request, team)

    def call(form):
        return E.post_close(post=post, by=request.user, **form.cleaned_data_without_token())

    return _page(request, PostCloseForm, call, back, "Post closed", "Close a post", str(post),
                 initial={"valid_to": timezone.localdate()})  # fmt: skip


@workforce_roles
def starter_new(request, post_pk: int):
    post = get_object_or_404(Post, pk=post_pk)
    team = team_or_404(request.user, post.team_id)
    back = _maintainable(request, team)

    def call(form):
        data = form.cleaned_data_without_token()
        data["newly_qualified"] = data["newly_qualified"] == "yes"
        return E.contract_start(post=post, by=request.user, **data)

    return _page(request, StarterForm, call, back, "Starter recorded", "Record a starter",
                 str(post), initial={"started_on": timezone.localdate()})  # fmt: skip


@workforce_roles
def leaver_new(request, contract_pk: int):
    contract = get_object_or_404(Contract.objects.select_related("post", "worker"), pk=contract_pk)
    team = team_or_404(request.user, contract.post.team_id)
    back = _maintainable(request, team)

    def call(form):
        return E.contract_end(contract=contract, by=request.user,
                              **form.cleaned_data_without_token())  # fmt: skip

    return _page(request, LeaverForm, call, back, "Contract ended", "Record a leaver",
                 str(contract.worker))  # fmt: skip


@workforce_roles
def absence_new(request, contract_pk: int):
    contract = get_object_or_404(Contract.objects.select_related("post", "worker"), pk=contract_pk)
    team = team_or_404(request.user, contract.post.team_id)
    back = _maintainable(request, team)

    def call(form):
        return E.absence_record(worker=contract.worker, by=request.user,
                                **form.cleaned_data_without_token())  # fmt: skip

    return _page(request, AbsenceForm, call, back, "Absence recorded", "Record an absence",
                 str(contract.worker))  # fmt: skip


def _page(request, form_class, call, back, message, title, caption, initial=None):
    from casework.views.recording import recording_page

    return recording_page(request, form_class=form_class, call=call, success_url=back,
                          success_message=message, title=title, caption=caption,
                          initial=initial)  # fmt: skip

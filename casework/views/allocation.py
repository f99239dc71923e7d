"""Allocate or reallocate an episode: the manager picks a worker from their team,
seeing each one's caseload as the caseload board counts it."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from casework.forms.allocation import AllocationForm
from casework.models import AllocationReason
from casework.predicates import open_allocations
from casework.selectors.caseload import current_authority, team_caseloads
from casework.services import case_allocate
from casework.tables import AllocationCandidatesTable
from casework.views.access import may
from casework.views.caseload import chosen_team
from casework.views.recording import recording_page
from referrals.selectors import referral_for


def _current(referral):
    return open_allocations().filter(referral=referral).select_related("worker", "team").first()


@may("case_allocate")
def allocate(request, pk: int):
    referral = referral_for(user=request.user, pk=pk)
    if referral is None:
        raise Http404
    current = _current(referral)
    team = current.team if current and request.user.sees_everything else None
    team = team or chosen_team(request)
    authority = current_authority()
    today = timezone.localdate()
    candidates = team_caseloads(team=team, authority=authority, on=today) if team else []
    candidates.sort(key=lambda load: load.capacity_order)
    table = AllocationCandidatesTable(
        candidates, empty_text="Your team has no case-holding workers."
    )
    table.caption = f"{team or 'No team'}: current caseloads"
    RequestConfig(request, paginate=False).configure(table)  # ?sort=per_fte

    def call(form):
        data = form.cleaned_data
        return case_allocate(
            referral=referral,
            expected_allocation=(data["current_allocation"], data["version"]),
            by=request.user,
            worker=form.chosen_worker(),
            started_on=data["started_on"],
            reason=data["reason"],
            court_work=data["court_work"],
        )

    initial = {
        "started_on": today,
        "reason": AllocationReason.WORKLOAD if current else AllocationReason.NEW,
    }
    if current is not None:
        initial.update(
            current_allocation=current.pk, version=current.version, court_work=current.court_work
        )
    return recording_page(
        request,
        form_class=AllocationForm,
        form_kwargs={"candidates": candidates},
        call=call,
        success_url=reverse("child", args=[referral.child_id]),
        success_message="Case allocated",
        title="Reallocate the case" if current else "Allocate the case",
        caption=referral.child.full_name,
        initial=initial,
        template="casework/allocate.html",
        context={"table": table, "current": current, "authority": authority},
        submit_label="Allocate",
    )

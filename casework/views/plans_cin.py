"""Child in need plan start and end: each page calls one service in casework.services.plans."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from casework.forms.plans_cin import CINPlanEndForm, CINPlanStartForm
from casework.models import CINPlan
from casework.services import cin_plan_end, cin_plan_start
from casework.views.access import may
from casework.views.recording import recording_page, seen_version
from referrals.selectors import referral_for


def _episode(request, pk: int):
    referral = referral_for(user=request.user, pk=pk)
    if referral is None:
        raise Http404
    return referral


@may("cin_plan_start")
def plan_start(request, referral_pk: int):
    referral = _episode(request, referral_pk)
    return recording_page(
        request,
        form_class=CINPlanStartForm,
        call=lambda f: cin_plan_start(
            referral=referral, by=request.user, started_on=f.cleaned_data["started_on"]
        ),
        success_url=reverse("child", args=[referral.child_id]),
        success_message="Child in need plan started",
        initial={"started_on": timezone.localdate()},
        title="Start a child in need plan",
        caption=referral.child.full_name,
    )


@may("cin_plan_end")
def plan_end(request, referral_pk: int):
    referral = _episode(request, referral_pk)
    plan = (
        CINPlan.objects.current()
        .filter(referral=referral, status=CINPlan.Status.ACTIVE)
        .order_by("-started_on", "-pk")
        .first()
    )
    if plan is None:
        raise Http404
    return recording_page(
        request,
        form_class=CINPlanEndForm,
        record=plan,
        call=lambda f: cin_plan_end(
            plan=plan,
            by=request.user,
            ended_on=f.cleaned_data["ended_on"],
            expected_version=seen_version(f.cleaned_data),
        ),
        success_url=reverse("child", args=[referral.child_id]),
        success_message="Child in need plan ended",
        initial={"ended_on": timezone.localdate()},
        title="End the child in need plan",
        caption=f"{referral.child.full_name}: plan started {plan.started_on:%-d %B %Y}",
    )

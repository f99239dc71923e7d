"""Child protection pages: strategy discussion, s47 outcome and its sign-off, the initial
conference, the plan (start, core groups, reviews, end). Each calls one service in
casework.services.protection or casework.services.plans."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from casework.forms import protection as forms
from casework.models import ChildProtectionConference, ChildProtectionPlan, Section47Enquiry
from casework.selectors import visible_record
from casework.services import plans, protection
from casework.views.access import may
from casework.views.recording import Step, recording_page, seen_version, step_page
from referrals.selectors import referral_for


def _yes(value: str) -> bool:
    return value == "yes"


@may("strategy_discussion_record")
def strategy_discussion_new(request, referral_pk: int):
    referral = referral_for(user=request.user, pk=referral_pk)
    if referral is None:
        raise Http404
    return recording_page(
        request,
        form_class=forms.StrategyDiscussionForm,
        call=lambda f: protection.strategy_discussion_record(
            referral=referral,
            by=request.user,
            held_on=f.cleaned_data["held_on"],
            s47_required=_yes(f.cleaned_data["s47_required"]),
            attendees=f.cleaned_data["attendees"],
            notes=f.cleaned_data["notes"],
        ),
        success_url=reverse("child", args=[referral.child_id]),
        success_message="Strategy discussion recorded",
        initial={"held_on": timezone.localdate()},
        title="Record a strategy discussion",
        caption=referral.child.full_name,
    )


def s47_sign_off(s47, by, data):
    version = seen_version(data)
    if data["decision"] == "authorise":
        return protection.s47_complete(s47=s47, by=by, expected_version=version)
    return protection.s47_return_outcome(
        s47=s47, by=by, reason=data["reason"], expected_version=version
    )


S47_STEPS = {
    "outcome": Step(
        forms.S47OutcomeForm,
        lambda s47, by, d: protection.s47_submit_outcome(
            s47=s47,
            by=by,
            expected_version=seen_version(d),
            ended_on=d["ended_on"],
            outcome=d["outcome"],
        ),
        "Record the outcome of the section 47 enquiry",
        "Section 47 outcome recorded for sign-off",
    ),
}

CONFERENCE_STEPS = {
    "record": Step(
        forms.IcpcForm,
        lambda c, by, d: protection.icpc_record(
            s47=c.s47,
            by=by,
            expected_version=seen_version(d),
            held_on=d["held_on"],
            outcome=d["outcome"],
            chair=d["chair"],
        ),
        "Record the initial child protection conference",
        "Initial conference recorded",
    ),
    "plan": Step(
        forms.PlanStartForm,
        lambda c, by, d: plans.cp_plan_start(
            icpc=c, by=by, expected_version=seen_version(d), category=d["category"]
        ),
        "Start the child protection plan",
        "Child protection plan started",
    ),
}

PLAN_STEPS = {
    "core-group": Step(
        forms.CoreGroupForm,
        lambda p, by, d: plans.core_group_record(
            plan=p, by=by, expected_version=seen_version(d), held_on=d["held_on"], notes=d["notes"]
        ),
        "Record a core group meeting",
        "Core group recorded",
    ),
    "review": Step(
        forms.ReviewForm,
        lambda p, by, d: plans.review_record(
            plan=p,
            by=by,
            expected_version=seen_version(d),
            held_on=d["held_on"],
            outcome=d["outcome"],
            latest_category=d["latest_category"],
            chair=d["chair"],
        ),
        "Record a review conference",
        "Review conference recorded",
    ),
    "end": Step(
        forms.PlanEndForm,
        lambda p, by, d: plans.cp_plan_end(
            plan=p,
            by=by,
            expected_version=seen_version(d),
            ended_on=d["ended_on"],
            reason=d["reason"],
        ),
        "End the child protection plan",
        "Child protection plan ended",
    ),
}


VISIT_STANDARD = Step(
    forms.VisitStandardForm,
    lambda p, by, d: plans.cp_plan_visit_standard_set(
        plan=p,
        by=by,
        expected_version=seen_version(d),
        working_days=d["working_days"],
        reason=d["reason"],
    ),
    "Vary how often the child is visited",
    "Visit standard changed",
)


@may("cp_plan_visit_standard_set")
def plan_visit_standard(request, pk: int):
    """A manager varies the plan's visit standard (seed 000: "unless varied by a
    manager"); other roles get a 403 before the form."""
    plan = visible_record(ChildProtectionPlan, user=request.user, pk=pk)
    if plan is None:
        raise Http404
    return step_page(request, record=plan, step=VISIT_STANDARD)


def _step_view(model, steps, *, related=(), only=None, moved=None):
    @may("case_record")
    def view(request, pk: int, step: str):
        if moved and step in moved:
            return redirect(moved[step], pk=pk)
        if step not in steps:
            raise Http404
        record = visible_record(model, user=request.user, pk=pk, related=related)
        if record is None or (only and not only(record)):
            raise Http404
        return step_page(request, record=record, step=steps[step])

    return view


# Sign-off is decided on the page that shows the outcome; the old step URL leads there.
s47_step = _step_view(Section47Enquiry, S47_STEPS, moved={"sign-off": "s47_decision"})
# Only initial conferences follow an s47; reviews are recorded from the plan.
conference_step = _step_view(
    ChildProtectionConference, CONFERENCE_STEPS, related=("s47",), only=lambda c: c.s47_id
)
plan_step = _step_view(ChildProtectionPlan, PLAN_STEPS)

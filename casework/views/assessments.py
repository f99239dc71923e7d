"""Assessment steps: each page calls one service in casework.services.assessments."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from casework.forms import assessment as forms
from casework.models import Assessment
from casework.selectors import children_visible_to
from casework.services import assessments as services
from casework.views.access import may
from casework.views.recording import Step, recording_page, seen_version, step_page
from referrals.selectors import referral_for

STEPS = {
    "seen": Step(
        forms.ChildSeenForm,
        lambda a, by, d: services.assessment_record_child_seen(
            assessment=a, by=by, expected_version=seen_version(d), seen_on=d["seen_on"]
        ),
        "Record when the child was seen",
        "Child seen recorded",
        False,
    ),
    "complete": Step(
        forms.CompleteForm,
        lambda a, by, d: services.assessment_complete(
            assessment=a,
            by=by,
            expected_version=seen_version(d),
            completed_on=d["completed_on"],
            outcome=d["outcome"],
            factors=d["factors"],
            summary=d["summary"],
            primary_need=d["primary_need"],
        ),
        "Complete the assessment",
        "Assessment completed",
        True,
    ),
    "submit": Step(
        forms.SubmitForm,
        lambda a, by, d: services.assessment_submit(
            assessment=a, by=by, expected_version=seen_version(d), submitted_on=d["submitted_on"]
        ),
        "Submit for authorisation",
        "Assessment submitted for authorisation",
        False,
    ),
}

# A manager authorises or returns on the page that shows what is signed; the old step
# URLs (bookmarks, browser history) lead there rather than to a form without the record.
DECIDED_ELSEWHERE = {"authorise", "return"}


@may("assessment_start")
def assessment_start(request, referral_pk: int):
    referral = referral_for(user=request.user, pk=referral_pk)
    if referral is None:
        raise Http404
    return recording_page(
        request,
        form_class=forms.StartForm,
        call=lambda f: services.assessment_start(
            referral=referral, by=request.user, started_on=f.cleaned_data["started_on"]
        ),
        success_url=reverse("child", args=[referral.child_id]),
        success_message="Assessment started",
        initial={"started_on": timezone.localdate()},
        title="Start an assessment",
        caption=referral.child.full_name,
    )


@may("case_record")
def assessment_step(request, pk: int, step: str):
    if step in DECIDED_ELSEWHERE:
        return redirect("assessment_decision", pk=pk)
    if step not in STEPS:
        raise Http404
    assessment = (
        Assessment.objects.current()
        .filter(pk=pk, child__in=children_visible_to(request.user))
        .select_related("child", "referral")
        .first()
    )
    if assessment is None:
        raise Http404
    return step_page(
        request, record=assessment, step=STEPS[step], draft_key=f"assessment-{pk}-{step}"
    )

"""A manager's decision on the page that shows what is signed: a submitted assessment
(outcome, factors, analysis, dates, working days taken) or a section 47 outcome, with
authorise and return on the same page. Each decision calls one existing service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from casework.forms.assessment import DecisionForm
from casework.forms.protection import S47SignOffForm
from casework.models import Assessment, Section47Enquiry
from casework.selectors.authorisation import (
    assessment_awaiting_decision,
    assessment_signed,
    factor_labels,
    s47_awaiting_decision,
    s47_signed,
)
from casework.services import assessments as assessment_services
from casework.views.access import managers_only
from casework.views.protection import s47_sign_off
from casework.views.recording import recording_page

TEMPLATE = "casework/authorise.html"
NOT_WAITING = "This {thing} is not waiting for a decision: it is {status}"


def _not_waiting(request, record, thing: str):
    status = record.get_status_display().lower()
    messages.info(request, NOT_WAITING.format(thing=thing, status=status))
    return redirect("child", record.child_id)


def _decide_assessment(assessment, by, data):
    if data["decision"] == "authorise":
        return assessment_services.assessment_authorise(
            assessment=assessment, by=by, authorised_on=data["decided_on"]
        )
    return assessment_services.assessment_return(
        assessment=assessment, by=by, returned_on=data["decided_on"], reason=data["reason"]
    )


@managers_only
def assessment_decision(request, pk: int):
    assessment = assessment_awaiting_decision(user=request.user, pk=pk)
    if assessment is None:
        raise Http404
    if assessment.status != Assessment.Status.SUBMITTED and request.method == "GET":
        return _not_waiting(request, assessment, "assessment")
    today = timezone.localdate()
    return recording_page(
        request,
        form_class=DecisionForm,
        record=assessment,
        call=lambda f: _decide_assessment(assessment, request.user, f.cleaned_data),
        success_url=reverse("authorisation_queue"),
        success_message=f"Decision recorded for {assessment.child.full_name}'s assessment",
        initial={"decided_on": today},
        title="Authorise or return the assessment",
        caption=assessment.child.full_name,
        submit_label="Record decision",
        template=TEMPLATE,
        context={
            "record": assessment,
            "rows": assessment_signed(assessment, today=today),
            "factors": factor_labels(assessment.factors),
            "analysis": assessment.summary,
            "analysis_label": "Analysis and plan",
        },
    )


@managers_only
def s47_decision(request, pk: int):
    s47 = s47_awaiting_decision(user=request.user, pk=pk)
    if s47 is None:
        raise Http404
    if s47.status != Section47Enquiry.Status.SUBMITTED and request.method == "GET":
        return _not_waiting(request, s47, "section 47 outcome")
    return recording_page(
        request,
        form_class=S47SignOffForm,
        record=s47,
        call=lambda f: s47_sign_off(s47, request.user, f.cleaned_data),
        success_url=reverse("authorisation_queue"),
        success_message=f"Decision recorded for {s47.child.full_name}'s section 47 outcome",
        title="Sign off or return the section 47 outcome",
        caption=s47.child.full_name,
        submit_label="Record decision",
        template=TEMPLATE,
        context={"record": s47, "rows": s47_signed(s47, today=timezone.localdate())},
    )

"""A manager's decision on the page that shows what is signed: a submitted assessment
(outcome, factors, analysis, dates, working days taken) or a section 47 outcome, with
authorise and return on the same page. Each decision calls one existing service."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from casework.forms.assessment import DecisionForm
from casework.forms.protection import S47SignOffForm
from casework.selectors.authorisation import (
    assessment_awaiting_decision,
    assessment_signed,
    factor_labels,
    s47_awaiting_decision,
    s47_signed,
)
from casework.services import assessments as assessment_services
from casework.views.access import may
from casework.views.protection import s47_sign_off
from casework.views.recording import recording_page, seen_version

TEMPLATE = "casework/authorise.html"
NOT_WAITING = "This is not waiting for a decision: it is {status}"


def _not_waiting(request, record, *, title: str, context: dict):
    """What was signed, read only: the record is not (or no longer) awaiting a decision."""
    status = record.get_status_display().lower()
    page = {
        **context,
        "record": record,
        "title": title,
        "caption": record.child.full_name,
        "not_waiting": NOT_WAITING.format(status=status),
    }
    return render(request, "casework/signed.html", page)


def _decide_assessment(assessment, by, data):
    version = seen_version(data)
    if data["decision"] == "authorise":
        return assessment_services.assessment_authorise(
            assessment=assessment, by=by, authorised_on=data["decided_on"], expected_version=version
        )
    return assessment_services.assessment_return(
        assessment=assessment,
        by=by,
        returned_on=data["decided_on"],
        reason=data["reason"],
        expected_version=version,
    )


def _decision_page(request, record, *, thing: str, form_class, call, title, context, initial=None):
    """The decision form under what is signed; back to the queue once decided. A record
    not awaiting a decision shows what was signed without the form; a POST still goes to
    the service, whose transition guard gives the reason."""
    if record.status != record.Status.SUBMITTED and request.method == "GET":
        return _not_waiting(request, record, title=title, context=context)
    return recording_page(
        request,
        form_class=form_class,
        record=record,
        call=call,
        success_url=reverse("authorisation_queue"),
        success_message=f"{thing[0].upper()}{thing[1:]} decision recorded",
        initial=initial,
        title=title,
        caption=record.child.full_name,
        template=TEMPLATE,
        context={"record": record, **context},
    )


@may("assessment_authorise")
def assessment_decision(request, pk: int):
    assessment = assessment_awaiting_decision(user=request.user, pk=pk)
    if assessment is None:
        raise Http404
    today = timezone.localdate()
    return _decision_page(
        request,
        assessment,
        thing="assessment",
        form_class=DecisionForm,
        call=lambda f: _decide_assessment(assessment, request.user, f.cleaned_data),
        title="Authorise or return the assessment",
        initial={"decided_on": today},
        context={
            "rows": assessment_signed(assessment, today=today),
            "factors": factor_labels(assessment.factors),
            "analysis": assessment.summary,
            "analysis_label": "Analysis and plan",
        },
    )


@may("s47_complete")
def s47_decision(request, pk: int):
    s47 = s47_awaiting_decision(user=request.user, pk=pk)
    if s47 is None:
        raise Http404
    return _decision_page(
        request,
        s47,
        thing="section 47",
        form_class=S47SignOffForm,
        call=lambda f: s47_sign_off(s47, request.user, f.cleaned_data),
        title="Sign off or return the section 47 outcome",
        context={"rows": s47_signed(s47, today=timezone.localdate())},
    )

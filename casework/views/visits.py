"""Recording a visit: one form for the child and any household siblings on the same
visit, saved together by casework.services.visits.visits_record_for_siblings."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from casework.forms.visit import VisitForm
from casework.models import Assessment, VisitKind
from casework.selectors.child_record import household_open_episodes
from casework.services.visits import SiblingVisit, visits_record_for_siblings
from casework.views.access import may
from casework.views.recording import recording_page
from referrals.selectors import referral_for

OPEN_ASSESSMENT = [
    Assessment.Status.IN_PROGRESS,
    Assessment.Status.COMPLETED,
    Assessment.Status.SUBMITTED,
    Assessment.Status.RETURNED,
]


def _open_assessments(referrals) -> dict[int, Assessment]:
    """An assessment visit counts towards each child's open assessment (its 'child seen')."""
    rows = Assessment.objects.current().filter(
        referral__in=[r.pk for r in referrals], status__in=OPEN_ASSESSMENT
    )
    return {a.referral_id: a for a in rows}


def _kind_asked(request) -> str:
    """A link from a due visit (My work) says which kind it is: ?kind=cp."""
    kind = request.GET.get("kind", "")
    return kind if kind in VisitKind.values else ""


@may("visit_record")
def visit_new(request, referral_pk: int):
    referral = referral_for(user=request.user, pk=referral_pk)
    if referral is None:
        raise Http404
    siblings = household_open_episodes(referral.child, user=request.user)

    def call(form):
        data = form.cleaned_data
        seen = data["child_seen"] == "yes"
        parts = [(referral, seen, seen and data["seen_alone"] == "yes")]
        parts += form.sibling_visits()
        assessments = (
            _open_assessments([r for r, *_ in parts])
            if data["kind"] == VisitKind.ASSESSMENT
            else {}
        )
        return visits_record_for_siblings(
            visits=[
                SiblingVisit(
                    referral=r,
                    child_seen=child_seen,
                    seen_alone=alone,
                    assessment=assessments.get(r.pk),
                )
                for r, child_seen, alone in parts
            ],
            by=request.user,
            kind=data["kind"],
            visited_on=data["visited_on"],
            notes=data["notes"],
        )

    return recording_page(
        request,
        form_class=VisitForm,
        form_kwargs={"child": referral.child, "siblings": siblings},
        call=call,
        success_url=reverse("child", args=[referral.child_id]),
        success_message="Visit recorded",
        initial={"visited_on": timezone.localdate(), "kind": _kind_asked(request)},
        title="Record a visit",
        caption=referral.child.full_name,
        draft_key=f"visit-{referral.pk}",
    )

"""Front-door recording pages: contact, screening decision, episode closure."""

from datetime import datetime, time

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import nameable_children
from casework.selectors.search import MAX_QUERY_LENGTH, RESTRICTED_MATCH, identity_search
from casework.services.children import child_add_new
from casework.views.access import may
from casework.views.recording import recording_page, seen_version
from referrals import services
from referrals.forms import ClosureForm, ContactForm, ScreeningForm
from referrals.selectors import (
    contact_children,
    contact_for,
    referral_for,
    screening_history,
)

MAX_CHOSEN = 20


def _chosen_ids(request) -> list[str]:
    """LA child IDs picked from the search results so far (?with=ID, repeated)."""
    ids = [i.strip()[:20] for i in request.GET.getlist("with")[:MAX_CHOSEN] if i.strip()]
    return list(dict.fromkeys(ids))


@may("contact_record")
def contact_new(request):
    def call(form):
        data = form.cleaned_data
        children = list(data["children"] or [])
        new = form.new_child()
        if new is not None:
            children.append(child_add_new(by=request.user, **new))
        return services.contact_record(
            by=request.user,
            received_at=form.received_at(),
            source=data["source"],
            reason=data["reason"],
            reason_codes=data["reason_codes"],
            children=children,
        )

    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    chosen = _chosen_ids(request)
    return recording_page(
        request,
        form_class=ContactForm,
        form_kwargs={"children_qs": nameable_children(request.user)},
        call=call,
        success_url=reverse("front_door"),
        success_message="Contact recorded",
        title="Record a contact",
        initial={"received_on": timezone.localdate(), "children": "\n".join(chosen)},
        template="referrals/contact_new.html",
        context={
            "query": query,
            "results": identity_search(user=request.user, query=query) if query else None,
            "chosen": chosen,
            "restricted_match": RESTRICTED_MATCH,
        },
    )


@may("contact_screen")
def contact_screen(request, pk: int):
    contact = contact_for(user=request.user, pk=pk)
    if contact is None:
        raise Http404
    lines = list(contact_children(request.user).filter(contact=contact))

    def call(form):
        data = form.cleaned_data
        decided_at = timezone.now()
        if data["decided_on"] != timezone.localdate():
            # A back-dated decision: recorded at the end of that working day.
            decided_at = timezone.make_aware(datetime.combine(data["decided_on"], time(17)))
        return services.contact_screen(
            contact=contact,
            by=request.user,
            decisions=form.decisions(),
            decided_at=decided_at,
            notes=data["notes"],
            expected_version=seen_version(data),
        )

    received = timezone.localtime(contact.received_at)
    return recording_page(
        request,
        form_class=ScreeningForm,
        form_kwargs={"lines": lines},
        call=call,
        record=contact,
        success_url=reverse("front_door"),
        success_message="Screening decision recorded",
        title="Screening decision",
        caption=f"Contact received {received:%-d %B %Y %H:%M}",
        initial={"decided_on": timezone.localdate()},
        template="referrals/contact_screen.html",
        context={
            "contact": contact,
            "history": screening_history(
                contact=contact, user=request.user, today=timezone.localdate()
            ),
            "hidden_count": sum(1 for line in lines if not line.child_visible),
        },
    )


@may("referral_close")
def referral_close(request, pk: int):
    referral = referral_for(user=request.user, pk=pk)
    if referral is None:
        raise Http404

    def call(form):
        data = form.cleaned_data
        return services.referral_close(
            referral=referral,
            by=request.user,
            closed_on=data["closed_on"],
            reason=data["closure_reason"],
            expected_version=seen_version(data),
        )

    return recording_page(
        request,
        form_class=ClosureForm,
        call=call,
        record=referral,
        success_url=reverse("child", args=[referral.child_id]),
        success_message="Episode closed",
        title="Close the episode",
        caption=referral.child.full_name,
    )

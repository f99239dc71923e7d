"""Prospective adopters' pages: the households in the agency's process, one household's
journey and matches, and the forms that record them through ``care.adopters``.

Adopters are not children, so no child-access rule applies; their records are personal data
all the same: only the roles of the ``adopters_view`` gate see them, and every page that
shows a household is audited (an audit row naming the household, no child) like a child's.
The children a household was matched with are shown only to those who may see them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from accounts.audit import action_for, audit_children_access, client_address
from accounts.permissions import can
from accounts.services import audit_event_record
from care import adopters, forms
from care.models import Adopter, AdopterHousehold, AdoptionPlan
from casework.selectors import children_visible_to
from casework.views.recording import recording_page, seen_version

PER_PAGE = 50


def _current_adopters():
    return Prefetch("adopters", Adopter.objects.current().order_by("reference"))


def _gate(request, operation: str = "adopters_view") -> None:
    if not can(request.user, operation):
        raise PermissionDenied


def _audit(request, what: str) -> None:
    audit_event_record(
        user=request.user, child=None, action=action_for(request),
        path=request.get_full_path(), object_repr=what, remote_addr=client_address(request),
    )  # fmt: skip


def _household(pk: int) -> AdopterHousehold:
    return get_object_or_404(AdopterHousehold.objects.current(), pk=pk)


@login_required
def household_list(request):
    _gate(request)
    households = (
        AdopterHousehold.objects.current()
        .prefetch_related(_current_adopters())
        .order_by("-enquiry_on", "reference")
    )
    page = Paginator(households, PER_PAGE).get_page(request.GET.get("page"))
    _audit(request, f"Prospective adopters list, page {page.number}")
    context = {"page_obj": page, "can_record": can(request.user, "adoption_record")}
    return render(request, "care/adopters.html", context)


@login_required
def household_detail(request, pk: int):
    _gate(request)
    household = get_object_or_404(
        AdopterHousehold.objects.current().prefetch_related(_current_adopters()), pk=pk
    )
    plans = list(
        AdoptionPlan.objects.current().filter(adopters=household).order_by("matched_on", "pk")
    )
    children = {
        c.pk: c
        for c in children_visible_to(request.user).filter(pk__in=[p.child_id for p in plans])
    }
    audit_children_access(request, list(children))
    _audit(request, str(household))
    matches = [{"plan": p, "child": children.get(p.child_id)} for p in plans]
    context = {
        "household": household, "matches": matches,
        "can_record": can(request.user, "adoption_record") and household.left_on is None,
    }  # fmt: skip
    return render(request, "care/adopter_household.html", context)


def _recording(request, **kwargs):
    """A form calling one adopters service; only those who record adoptions see it."""
    _gate(request, "adoption_record")
    return recording_page(request, **kwargs)


@login_required
def household_new(request):
    def call(form):
        d = form.cleaned_data
        people = [adopters.AdopterDetails(sex=d["first_sex"], ethnicity=d["first_ethnicity"])]
        if d.get("second_sex"):
            people.append(
                adopters.AdopterDetails(sex=d["second_sex"], ethnicity=d["second_ethnicity"])
            )
        adopters.adopter_household_record(
            by=request.user, reference=d["reference"], adopters=people,
            legal_status=d["legal_status"], enquiry_on=d["enquiry_on"],
            fostering_for_adoption=d.get("fostering_for_adoption") == "yes",
        )  # fmt: skip

    return _recording(
        request, form_class=forms.AdopterHouseholdForm, call=call,
        success_url=reverse("care_adopters"), success_message="Prospective adopters recorded",
        initial={"enquiry_on": timezone.localdate()}, title="Record prospective adopters",
    )  # fmt: skip


def _household_form(request, pk: int, form_class, service, message: str, title: str, on: str):
    """A form about one household (it carries the household's version)."""
    household = _household(pk)
    return _recording(
        request, form_class=form_class, record=household,
        call=lambda f: service(
            household=household, by=request.user, expected_version=seen_version(f.cleaned_data),
            **{name: f.cleaned_data[name] for name in form_class.service_fields},
        ),
        success_url=reverse("care_adopter_household", args=[household.pk]),
        success_message=message, initial={on: timezone.localdate()}, title=title,
        caption=f"Family ID {household.reference}",
    )  # fmt: skip


@login_required
def household_step(request, pk: int):
    return _household_form(
        request, pk, forms.AdopterStepForm, adopters.adopter_household_step,
        "Adopters' step recorded", "Record a step the adopters reached (approval included)", "on",
    )  # fmt: skip


@login_required
def household_leave(request, pk: int):
    return _household_form(
        request, pk, forms.AdopterLeaveForm, adopters.adopter_household_leave,
        "Recorded: the adopters left the process", "Record that the adopters left the process",
        "left_on",
    )  # fmt: skip

"""Care recording pages: each calls one service in ``care.services``.

URLs name the child (``/children/<child>/care/...``), so the child-access middleware
audits every page and a child the user may not see answers 404. Forms about the
period carry its version: every step bumps it, so a stale form is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from care import adoption, codes, forms, leavers
from care.models import AdoptionPlan, CareLeaver, CarePeriod, MissingEpisode
from care.selectors import due_rows, periods_due
from care.services import entry
from care.services.changes import care_change
from care.services.ending import care_end
from care.services.health_education import health_check_record, pep_record
from care.services.missing import missing_record, missing_return_record
from care.services.placements import PlacementDetails
from care.services.reviews_visits import (
    care_review_record,
    care_visit_frequency_set,
    care_visit_record,
)
from casework.selectors import children_visible_to, team_for
from casework.views.access import managers_only
from casework.views.recording import recording_page, seen_version


def _child(request, pk: int):
    return get_object_or_404(children_visible_to(request.user), pk=pk)


def _latest_period(child) -> CarePeriod:
    period = CarePeriod.objects.current().filter(child=child).order_by("-started_on").first()
    if period is None:
        raise Http404
    return period


def _yes(data, name) -> bool:
    return data.get(name) == "yes"


def _placement(data) -> PlacementDetails | None:
    if not data.get("place"):
        return None
    return PlacementDetails(
        place=data["place"], provider=data.get("provider", ""), postcode=data.get("postcode", ""),
        urn=data.get("urn", ""), carer=data.get("carer", ""), long_term=_yes(data, "long_term"),
    )  # fmt: skip


@login_required
def care_start(request, child: int):
    child = _child(request, child)

    def call(f):
        d = f.cleaned_data
        return entry.care_start(
            child=child, by=request.user, started_on=d["started_on"],
            legal_status=d["legal_status"], category_of_need=d["category_of_need"],
            placement=_placement(d), uasc=_yes(d, "uasc"),
        )  # fmt: skip

    return recording_page(
        request,
        form_class=forms.CareStartForm,
        call=call,
        success_url=reverse("child", args=[child.pk]),
        success_message="Recorded: the child is looked after",
        initial={"started_on": timezone.localdate()},
        title="Record the child becoming looked after",
        caption=child.full_name,
    )


@dataclass(frozen=True)
class CareStep:
    form_class: type
    call: Any  # (period, by, cleaned_data) -> record
    title: str
    message: str
    date_field: str
    draft: bool = False


STEPS: dict[str, CareStep] = {
    "change": CareStep(
        forms.CareChangeForm,
        lambda p, by, d: care_change(
            period=p, by=by, expected_version=seen_version(d),
            changed_on=d["changed_on"], legal_status=d.get("legal_status", ""),
            placement=_placement(d), same_carer=_yes(d, "same_carer"),
            reason_place_change=d.get("reason_place_change", ""),
        ),
        "Record a change of legal status or placement", "Change recorded", "changed_on",
    ),
    "end": CareStep(
        forms.CareEndForm,
        lambda p, by, d: care_end(period=p, by=by, expected_version=seen_version(d),
                                  ended_on=d["ended_on"],
                                  reason_ceased=d["reason_ceased"]),
        "Record the child ceasing to be looked after", "Recorded: ceased to be looked after",
        "ended_on",
    ),
    "review": CareStep(
        forms.CareReviewForm,
        lambda p, by, d: care_review_record(period=p, by=by,
                                            expected_version=seen_version(d),
                                            held_on=d["held_on"],
                                            participation=d["participation"]),
        "Record a looked-after review", "Looked-after review recorded", "held_on",
    ),
    "visit": CareStep(
        forms.CareVisitForm,
        lambda p, by, d: care_visit_record(
            period=p, by=by, expected_version=seen_version(d),
            visited_on=d["visited_on"], child_seen=_yes(d, "child_seen"),
            seen_alone=_yes(d, "seen_alone"), notes=d.get("notes", ""),
        ),
        "Record a statutory visit", "Visit recorded", "visited_on", draft=True,
    ),
    "visit-frequency": CareStep(
        forms.VisitFrequencyForm,
        lambda p, by, d: care_visit_frequency_set(
            period=p, by=by, expected_version=seen_version(d),
            interval_days=d.get("interval_days"), reason=d["reason"]
        ),
        "Vary the child's visit frequency", "Visit frequency changed", "",
    ),
    "health": CareStep(
        forms.HealthCheckForm,
        lambda p, by, d: health_check_record(period=p, by=by,
                                             expected_version=seen_version(d),
                                             kind=d["kind"],
                                             done_on=d["done_on"]),
        "Record a health assessment or check", "Health recorded", "done_on",
    ),
    "pep": CareStep(
        forms.PepForm,
        lambda p, by, d: pep_record(period=p, by=by, expected_version=seen_version(d),
                                    held_on=d["held_on"]),
        "Record a personal education plan", "Personal education plan recorded", "held_on",
    ),
    "missing": CareStep(
        forms.MissingForm,
        lambda p, by, d: missing_record(period=p, by=by, expected_version=seen_version(d),
                                        kind=d["kind"],
                                        started_on=d["started_on"],
                                        ended_on=d.get("ended_on")),
        "Record a missing episode", "Missing episode recorded", "started_on",
    ),
    "previous-permanence": CareStep(
        forms.PreviousPermanenceForm,
        lambda p, by, d: adoption.previous_permanence_set(period=p, by=by,
                                                          expected_version=seen_version(d),
                                                          kind=d["kind"],
                                                         la=d.get("la", ""),
                                                         made_on=d.get("made_on")),
        "Record the child's previous permanence order", "Previous permanence recorded", "",
    ),
}  # fmt: skip


def _child_and_step(request, pk: int, steps: dict, step: str):
    found = steps.get(step)
    if found is None:
        raise Http404
    return _child(request, pk), found


@login_required
def care_step(request, child: int, step: str):
    return _record_step(request, child, STEPS, step, _latest_period)


def _record_step(request, pk: int, steps: dict, step: str, find):
    """The step's page about the record ``find(child)`` returns (404 when there is none)."""
    child, found = _child_and_step(request, pk, steps, step)
    record = find(child)
    draft_key = f"care-{step}-{record.pk}" if found.draft else ""
    return _step_page(request, child, found, record, draft_key=draft_key)


def _step_page(request, child, found: CareStep, record, *, draft_key: str = ""):
    """The step's form about ``record`` (a care period, leaver or adoption plan), carrying
    its version."""
    initial = {found.date_field: timezone.localdate()} if found.date_field else {}
    return recording_page(
        request,
        form_class=found.form_class,
        record=record,
        call=lambda f: found.call(record, request.user, f.cleaned_data),
        success_url=reverse("child", args=[child.pk]),
        success_message=found.message,
        initial=initial,
        title=found.title,
        caption=child.full_name,
        draft_key=draft_key,
    )


LEAVER_STEPS: dict[str, CareStep] = {
    "review": CareStep(
        forms.PathwayReviewForm,
        lambda leaver, by, d: leavers.pathway_review_record(leaver=leaver, by=by,
                                                            expected_version=seen_version(d),
                                                            held_on=d["held_on"]),
        "Record a pathway plan review", "Pathway plan review recorded", "held_on",
    ),
    "contact": CareStep(
        forms.LeaverContactForm,
        lambda leaver, by, d: leavers.leaver_contact_record(
            leaver=leaver, by=by, expected_version=seen_version(d),
            contacted_on=d["contacted_on"], in_touch=d["in_touch"],
            activity=d.get("activity", ""), accommodation=d.get("accommodation", ""),
        ),
        "Record contact with a care leaver", "Care leaver contact recorded", "contacted_on",
    ),
    "pathway-plan": CareStep(
        forms.PathwayPlanForm,
        lambda leaver, by, d: leavers.pathway_plan_record(leaver=leaver, by=by,
                                                          expected_version=seen_version(d),
                                                          agreed_on=d["agreed_on"]),
        "Record the pathway plan agreed", "Pathway plan recorded", "agreed_on",
    ),
    "staying-put": CareStep(
        forms.StayingPutForm,
        lambda leaver, by, d: leavers.staying_put_set(leaver=leaver, by=by,
                                                      expected_version=seen_version(d),
                                                      started_on=d["started_on"],
                                                      ended_on=d.get("ended_on")),
        "Record staying put with former foster carers", "Staying put recorded", "started_on",
    ),
}  # fmt: skip


def _leaver(child) -> CareLeaver:
    return get_object_or_404(CareLeaver.objects.current(), child=child)


def _adoption_plan(child) -> AdoptionPlan:
    plan = AdoptionPlan.objects.current().filter(child=child).order_by("-decided_on").first()
    if plan is None:
        raise Http404
    return plan


@login_required
def leaver_step(request, child: int, step: str):
    """A care leaver's pathway plan, its reviews, contact (OC3) or staying put. Forms carry
    the leaver's version: a review moves the next due date, so a review form opened before
    someone else's review is refused as stale; contacts are added alongside."""
    return _record_step(request, child, LEAVER_STEPS, step, _leaver)


@login_required
def leaver_start(request, child: int):
    """Start a care leaver record: the eligibility the care history gives is shown first,
    and the service works it out again on the day entered."""
    child = _child(request, child)
    today = timezone.localdate()
    category = leavers.eligibility(child, today)
    return recording_page(
        request,
        form_class=forms.CareLeaverStartForm,
        call=lambda f: leavers.care_leaver_start(
            child=child,
            by=request.user,
            on=f.cleaned_data["on"],
            personal_adviser=f.cleaned_data.get("personal_adviser", ""),
        ),  # fmt: skip
        success_url=reverse("child", args=[child.pk]),
        success_message="Recorded: the young person is a care leaver",
        initial={"on": today},
        title="Record the young person as a care leaver",
        caption=child.full_name,
        template="care/leaver_start.html",
        context={
            "eligibility": codes.LeaverEligibility(category).label if category else "",
            "today": today,
        },  # fmt: skip
    )


# The decision is about the latest period; every later step about the plan it started.
ADOPTION_STEPS: dict[str, CareStep] = {
    "decision": CareStep(
        forms.AdoptionDecisionForm,
        lambda p, by, d: adoption.adoption_decide(period=p, by=by, expected_version=seen_version(d),
                                                  decided_on=d["decided_on"]),
        "Record the decision that the child should be placed for adoption",
        "Decision to place for adoption recorded", "decided_on",
    ),
    "placement-order": CareStep(
        forms.PlacementOrderForm,
        lambda plan, by, d: adoption.adoption_placement_order(plan=plan, by=by,
                                                              expected_version=seen_version(d),
                                                              ordered_on=d["ordered_on"]),
        "Record the placement order", "Placement order recorded", "ordered_on",
    ),
    "match": CareStep(
        forms.AdoptionMatchForm,
        lambda plan, by, d: adoption.adoption_match(
            plan=plan, by=by, expected_version=seen_version(d),
            matched_on=d["matched_on"], adopters_number=d["adopters_number"],
            adopters_sex=d["adopters_sex"], adopters_legal_status=d["adopters_legal_status"],
            with_foster_carer=_yes(d, "with_foster_carer"), household=d.get("household"),
        ),
        "Record the match with adopters", "Match recorded", "matched_on",
    ),
    "placed": CareStep(
        forms.AdoptionPlaceForm,
        lambda plan, by, d: adoption.adoption_place(plan=plan, by=by,
                                                    expected_version=seen_version(d),
                                                    placed_on=d["placed_on"],
                                                    placement=_placement(d)),
        "Record the child's placement with the adopters", "Placement for adoption recorded",
        "placed_on",
    ),
    "adopted": CareStep(
        forms.AdoptionOrderForm,
        lambda plan, by, d: adoption.adoption_order(
            plan=plan, by=by, expected_version=seen_version(d), ordered_on=d["ordered_on"],
            consent_dispensed=_yes(d, "consent_dispensed"),
        ),
        "Record the adoption order", "Adoption order recorded", "ordered_on",
    ),
    "reversed": CareStep(
        forms.AdoptionReversalForm,
        lambda plan, by, d: adoption.adoption_reverse(plan=plan, by=by,
                                                      expected_version=seen_version(d),
                                                      reversed_on=d["reversed_on"],
                                                      reason=d["reason"]),
        "Record that the child should no longer be placed for adoption",
        "Reversal of the adoption decision recorded", "reversed_on",
    ),
}  # fmt: skip


@login_required
def adoption_step(request, child: int, step: str):
    find = _latest_period if step == "decision" else _adoption_plan
    return _record_step(request, child, ADOPTION_STEPS, step, find)


@login_required
def missing_return(request, child: int, pk: int):
    child = _child(request, child)
    missing = get_object_or_404(MissingEpisode.objects.current(), pk=pk, child=child)
    return recording_page(
        request,
        form_class=forms.MissingReturnForm,
        record=missing,
        call=lambda f: missing_return_record(
            missing=missing,
            by=request.user,
            ended_on=f.cleaned_data["ended_on"],
            interview_offered=_yes(f.cleaned_data, "interview_offered"),
            interview_on=f.cleaned_data.get("interview_on"),
            expected_version=seen_version(f.cleaned_data),
        ),  # fmt: skip
        success_url=reverse("child", args=[child.pk]),
        success_message="Return recorded",
        initial={"ended_on": missing.ended_on or timezone.localdate()},
        title="Record the child's return and return home interview",
        caption=child.full_name,
    )


@managers_only
def care_due(request):
    """Managers' queue: looked-after children in their team with the next steps due."""
    team = None if request.user.sees_everything else team_for(request.user)
    page = Paginator(periods_due(user=request.user, team=team), 50).get_page(
        request.GET.get("page")
    )
    rows = due_rows(page.object_list, timezone.localdate())
    return render(request, "care/due.html", {"page_obj": page, "rows": rows, "team": team})

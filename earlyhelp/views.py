"""Early help pages: the list of open episodes, an episode's record, and one page per
step, each calling one service in earlyhelp.services."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from accounts.audit import audit_children_access, child_or_404
from accounts.models import AuditEvent
from accounts.permissions import can_view_case_detail, can_view_kpis
from casework.selectors.next_steps import Offer, next_steps, register_offers
from casework.views.recording import Step, recording_page, seen_version
from earlyhelp import forms, selectors, services
from earlyhelp import kpi_contact_sources as contact_sources
from earlyhelp.codes import RequestRoute
from earlyhelp.models import EarlyHelpEpisode
from earlyhelp.tables import ContactSourceTable, EpisodeTable
from metrics import exports
from metrics import periods as P
from referrals.selectors import referral_for


def _received_at(day):
    """A referral recorded for today is timed now; a back-dated one at 09:00 that day."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(9)))


STEPS = {
    "assess": Step(
        forms.AssessmentStartForm,
        lambda e, by, d: services.assessment_start(
            episode=e,
            by=by,
            expected_version=seen_version(d),
            started_on=d["started_on"],
            consent_on=d["consent_on"],
            lead_agency=d["lead_agency"],
            lead_practitioner=d["lead_practitioner"],
        ),
        "Start the early help assessment",
        "Early help assessment started",
    ),
    "complete": Step(
        forms.AssessmentCompleteForm,
        lambda e, by, d: services.assessment_complete(
            episode=e,
            by=by,
            expected_version=seen_version(d),
            completed_on=d["completed_on"],
            needs=d["needs"],
        ),
        "Complete the early help assessment",
        "Early help assessment completed",
    ),
    "team": Step(
        forms.TafMemberForm,
        lambda e, by, d: services.taf_member_add(
            episode=e,
            by=by,
            expected_version=seen_version(d),
            name=d["name"],
            agency=d["agency"],
            role=d["role"],
            joined_on=d["joined_on"],
        ),
        "Add to the team around the family",
        "Added to the team around the family",
    ),
    "plan": Step(
        forms.PlanStartForm,
        lambda e, by, d: services.plan_start(
            episode=e, by=by, expected_version=seen_version(d), started_on=d["started_on"]
        ),
        "Start the family plan",
        "Family plan started",
    ),
    "review": Step(
        forms.ReviewForm,
        lambda e, by, d: services.review_record(
            episode=e,
            by=by,
            expected_version=seen_version(d),
            held_on=d["held_on"],
            progress=d["progress"],
        ),
        "Record a plan review",
        "Plan review recorded",
    ),
    "close": Step(
        forms.CloseForm,
        lambda e, by, d: services.episode_close(
            episode=e,
            by=by,
            expected_version=seen_version(d),
            closed_on=d["closed_on"],
            reason=d["reason"],
            notes=d["notes"],
        ),
        "Close the early help episode",
        "Early help episode closed",
    ),
    "step-up": Step(
        forms.StepUpForm,
        lambda e, by, d: services.step_up(
            episode=e,
            by=by,
            expected_version=seen_version(d),
            received_at=_received_at(d["referred_on"]),
            reason=d["reason"],
        ),
        "Step up to children's social care",
        "Stepped up: the contact is at the front door",
    ),
}


# The episode record's step links: each offered while the episode's state machine allows
# its transition and the user's role may perform the operation (the service checks both
# again when the form is sent). Registered when the app is ready (EarlyHelpConfig).
_OFFERED = (
    ("start_assessment", "early_help_record", "assess"),
    ("complete_assessment", "early_help_record", "complete"),
    ("record_review", "early_help_record", "review"),
    ("add_team_member", "early_help_record", "team"),
    ("start_plan", "early_help_record", "plan"),
    ("close", "early_help_close", "close"),
    ("close", "early_help_step_up", "step-up"),
)


def register_steps() -> None:
    offers = [Offer(t, operation, STEPS[slug].title, "earlyhelp:step", slug)
              for t, operation, slug in _OFFERED]  # fmt: skip
    register_offers(EarlyHelpEpisode, offers)


def _episode_or_404(request, pk: int):
    episode = selectors.episode_for(user=request.user, pk=pk)
    if episode is None:
        raise Http404
    return episode


@login_required
def episode_list(request):
    """Open episodes (sortable; ``?format=csv|xlsx`` downloads them all) and, for KPI
    readers, contacts by source (``?table=sources&format=...``)."""
    if not can_view_case_detail(request.user):
        raise Http404
    today = timezone.localdate()
    fmt = exports.requested(request)
    sources = _contact_sources(request.user, today)
    if fmt and sources is not None and request.GET.get("table") == "sources":
        return exports.download(fmt, f"contacts-by-source-{today:%Y-%m}", sources,
                                title="Contacts by source")  # fmt: skip
    table = EpisodeTable(selectors.open_episodes(request.user), today=today)
    RequestConfig(request, paginate=False if fmt else {"per_page": 50}).configure(table)
    if fmt:
        # Every open episode the user may see, in the page's order; each child audited.
        episodes = list(table.data)
        audit_children_access(request, [e.child_id for e in episodes], AuditEvent.Action.EXPORT)
        return exports.download(fmt, f"early-help-{today:%Y-%m-%d}", table, title="Early help")
    context = {"table": table, "sources": sources, "today": today,
               "download_query": exports.download_query(request)}  # fmt: skip
    return render(request, "earlyhelp/list.html", context)


def _contact_sources(user, today) -> ContactSourceTable | None:
    """Contacts by source over the last 12 months, as the KPI job last counted them: a
    year of the authority's contacts is never aggregated per view
    (earlyhelp/kpi_contact_sources.py). None: the user does not read the KPIs."""
    if not can_view_kpis(user):
        return None
    period = P.parse(f"R12-{today:%Y-%m}")
    rows, counted_at = contact_sources.breakdown(period.start, period.end)
    return ContactSourceTable(rows, period=period, counted_at=counted_at)


@login_required
def episode_record(request, pk: int):
    episode = _episode_or_404(request, pk)
    context = {
        "episode": episode,
        "members": episode.taf_members.current(),
        "reviews": episode.reviews.current(),
        "steps": next_steps(episode, request.user),
    }
    return render(request, "earlyhelp/episode.html", context)


@login_required
def episode_step(request, pk: int, step: str):
    episode = _episode_or_404(request, pk)
    found = STEPS.get(step)
    if found is None:
        raise Http404
    return recording_page(
        request,
        form_class=found.form_class,
        record=episode,
        call=lambda f: found.service(episode, request.user, f.cleaned_data),
        success_url=reverse("earlyhelp:episode", args=[episode.pk]),
        success_message=found.message,
        title=found.title,
        caption=f"Early help: {episode.child.full_name}",
    )


@login_required
def episode_request(request, child: int):
    """A partner agency asks for early help for a child (the URL names the child, so
    the access middleware has already refused a child the user may not see)."""
    found = child_or_404(request, child)

    def call(form):
        d = form.cleaned_data
        return services.episode_request(
            by=request.user,
            child=found,
            requested_on=d["requested_on"],
            route=RequestRoute.PARTNER,
            requested_by_agency=d["requested_by_agency"],
            reason=d["reason"],
        )

    return recording_page(
        request,
        form_class=forms.RequestForm,
        call=call,
        success_url=reverse("child", args=[found.pk]),
        success_message="Early help requested",
        title="Request early help",
        caption=found.full_name,
        initial={"requested_on": timezone.localdate()},
    )


@login_required
def step_down_cin(request, referral: int):
    """Step down to early help at the closure of a CIN episode closed RC9 (referred to
    early help): asked for here, by the worker or manager, after the closure."""
    found = referral_for(user=request.user, pk=referral)
    if found is None:
        raise Http404

    def call(form):
        d = form.cleaned_data
        return services.episode_request(
            by=request.user,
            child=found.child,
            requested_on=d["requested_on"],
            route=RequestRoute.STEP_DOWN_CIN,
            reason=d["reason"],
            referral=found,
        )

    return recording_page(
        request,
        form_class=forms.StepDownForm,
        call=call,
        success_url=reverse("child", args=[found.child_id]),
        success_message="Early help requested as a step-down",
        title="Request early help at CIN closure",
        caption=found.child.full_name,
        initial={"requested_on": found.closed_on or timezone.localdate()},
    )

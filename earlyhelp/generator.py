"""Early help for a generated authority (``generate_authority``), after social care.

Requests come from what the generated front door and assessments decided (contacts
screened to early help, assessments authorised as early help: the step-downs) and from
partner agencies (schools and health visitors, most early help in seeds 001 and 004),
then run the way the services would: consent and assessment, team around the family,
plan and 6-weekly reviews, closure with a reason, never more than one open episode per
child and nothing dated after the end date. Seeded, so a seed gives the same rows.

Volumes (seeds 000-004): early help assessments about a third of contacts in a year
(seed 001: 369 in a quarter for an authority taking ~4,000 contacts a quarter); about
60% of closures with needs met and about 1 in 8 stepped up. Each step-up opens the
source-5D contact the step-up service would, linked from the episode; social care has
already been simulated, so the front door records it as advice (a follow-up, not a
referral).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from casework.errors import DomainError
from casework.generator.simulation import GENERATED_STANDARD
from casework.generator.writers import Writer
from casework.models import Assessment, AssessmentOutcome, Child, ServiceArea, Team
from casework.timescales import screening_due_on
from casework.transitions import status_after, unsaved
from earlyhelp.codes import REVIEW_INTERVAL_DAYS, ClosureReason, LeadAgency, Need, RequestRoute
from earlyhelp.decisions import (
    child_free_for_request,
    decide_close,
    decide_complete_assessment,
    decide_plan_start,
    decide_request,
    decide_start_assessment,
    last_event_on,
)
from earlyhelp.models import (
    STEP_UP_SOURCE,
    EarlyHelpEpisode,
    EarlyHelpReview,
    TeamAroundFamilyMember,
)
from referrals.models import Contact, ContactChild, ScreeningDecision
from referrals.services import decide_screen

# Partner requests per contact screened to early help: most early help is asked for by
# schools and health services directly, not through the social care front door.
PARTNER_PER_CONTACT_REQUEST = 1.2
LEAD_AGENCIES = [
    (LeadAgency.SCHOOL, 35), (LeadAgency.HEALTH_VISITOR, 18), (LeadAgency.LA_EARLY_HELP, 20),
    (LeadAgency.FAMILY_HUB, 10), (LeadAgency.SCHOOL_NURSE, 6), (LeadAgency.VOLUNTARY, 6),
    (LeadAgency.OTHER, 5),
]  # fmt: skip
CLOSURES = [
    (ClosureReason.NEEDS_MET, 60), (ClosureReason.STEPPED_UP, 12),
    (ClosureReason.DISENGAGED, 15), (ClosureReason.MOVED, 8), (ClosureReason.OTHER, 5),
]  # fmt: skip
NO_CONSENT_SHARE = 0.15
# Contacts first: a stepped-up episode points at its step-up contact.
MODELS = [Contact, ContactChild, EarlyHelpEpisode, TeamAroundFamilyMember, EarlyHelpReview]
STEP_UP_REASON = "Stepped up from early help: concerns have grown beyond the family plan"


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _stamp(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=10), tzinfo=UTC)


def _requests(rng: random.Random, start: date, end: date) -> list[tuple]:
    """(day, child id, route, link fields, the records the request decision checks) for
    every request, in date order."""
    found = []
    lines = (
        ContactChild.objects.filter(
            decision=ScreeningDecision.EARLY_HELP,
            contact__entered_in_error=False,
            contact__decided_at__isnull=False,
        )
        .order_by("pk")
        .values_list("pk", "child_id", "contact__decided_at", "contact__received_at")
    )
    # Read in a fixed order: rows tied on (day, child, route) keep it through the sort.
    for pk, child_id, decided_at, received_at in lines.iterator():
        day = timezone.localdate(decided_at)
        if start <= day <= end:
            line = ContactChild(pk=pk, child_id=child_id, decision=ScreeningDecision.EARLY_HELP,
                                contact=Contact(received_at=received_at))  # fmt: skip
            found.append((day, child_id, RequestRoute.CONTACT, {"contact_child_id": pk},
                          {"contact_child": line}))  # fmt: skip
    step_downs = (
        Assessment.objects.filter(
            outcome=AssessmentOutcome.EARLY_HELP,
            authorised_on__range=(start, end),
            entered_in_error=False,
        )
        .order_by("pk")
        .values_list("pk", "child_id", "referral_id", "authorised_on", "status")
    )
    for pk, child_id, referral_id, day, status in step_downs.iterator():
        links = {"from_assessment_id": pk, "from_referral_id": referral_id}
        assessment = Assessment(pk=pk, child_id=child_id, status=status, authorised_on=day,
                                outcome=AssessmentOutcome.EARLY_HELP)  # fmt: skip
        found.append((day, child_id, RequestRoute.STEP_DOWN_ASSESSMENT, links,
                      {"assessment": assessment}))  # fmt: skip
    # rng.choice draws from this list, so its order must not depend on the database's
    # order of children tied on Child.Meta.ordering (surname, first name).
    born = Child.objects.filter(date_of_birth__isnull=False)
    children = list(born.order_by("pk").values_list("pk", flat=True))
    span = (end - start).days
    for _ in range(int(len(found) * PARTNER_PER_CONTACT_REQUEST)):
        day = start + timedelta(days=rng.randrange(span + 1))
        agency = _pick(rng, LEAD_AGENCIES[:2] + LEAD_AGENCIES[3:])
        found.append((day, rng.choice(children), RequestRoute.PARTNER,
                      {"requested_by_agency": agency}, {"agency": agency}))  # fmt: skip
    found.sort(key=lambda r: (r[0], r[1], r[2]))
    return found


def generate(*, seed: int, start: date, end: date) -> dict[str, int]:
    """Write the early help rows; returns rows written per table."""
    rng = random.Random(f"early-help-{seed}")
    ids = {m: 1 + (m.objects.aggregate(m=Max("pk"))["m"] or 0) for m in MODELS}
    writer = Writer(MODELS)
    # The front door (MASH) team holds early help requests, as the services do for the
    # screener's team: its manager sees them.
    team_id = (
        Team.objects.filter(service_area=ServiceArea.FRONT_DOOR)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    # Step-up contacts are recorded by front door staff (a contact needs its recorder).
    recorder = Contact.objects.order_by("pk").values_list("recorded_by_id", flat=True).first()
    opened: dict[int, date] = {}  # child -> request date of their open episode
    closed: dict[int, date] = {}  # child -> closure date of their latest closed episode
    for day, child_id, route, links, sources in _requests(rng, start, end):
        child = Child(pk=child_id)
        seen = {"open_since": opened.get(child_id), "last_closed": closed.get(child_id)}
        try:
            child_free_for_request(child, day, **seen)
        except DomainError:
            continue  # open or overlapping: the services keep the episode the child has
        # The route's own checks must pass: a refusal here is a generator bug, not skipped.
        decide_request(child=child, requested_on=day, route=route, **sources, **seen, today=end)
        links = {**links, "team_id": team_id}
        closed_on = _episode(writer, rng, ids, day, child_id, route, links, end, recorder)
        if closed_on is None:
            opened[child_id] = day
        else:
            closed[child_id] = closed_on
    writer.finish()
    return writer.counts()


def _episode(writer, rng, ids, day, child_id, route, links, end, recorder) -> date | None:
    """One episode's rows as at ``end``; returns its closure date (None while open)."""
    row = {
        "id": ids[EarlyHelpEpisode], "child_id": child_id, "requested_on": day, "route": route,
        "created_at": _stamp(day), "updated_at": _stamp(day), "request_reason": "",
        "requested_by_agency": "", "contact_child_id": None, "from_assessment_id": None,
        "from_referral_id": None, "team_id": None, "worker_id": None, "lead_agency": "",
        "lead_practitioner": "", "consent_on": None, "assessment_started_on": None,
        "assessment_completed_on": None, "needs": [], "plan_started_on": None,
        "next_review_due_on": None, "closed_on": None, "closure_reason": "",
        "closure_notes": "", "step_up_contact_id": None, "recorded_by_id": None,
        "status": status_after(EarlyHelpEpisode), **links,
    }  # fmt: skip
    ids[EarlyHelpEpisode] += 1
    members, reviews = [], []
    if rng.random() < NO_CONSENT_SHARE:
        _close(row, day + timedelta(days=rng.randint(5, 30)), ClosureReason.DISENGAGED, end)
        return _write(writer, row, members, reviews)
    started = day + timedelta(days=rng.randint(2, 20))
    if started > end:
        return _write(writer, row, members, reviews)
    agency, practitioner = _pick(rng, LEAD_AGENCIES), f"Practitioner {rng.randint(1, 400)}"
    row.update(status=decide_start_assessment(
        unsaved(EarlyHelpEpisode, row), started_on=started, consent_on=started, lead_agency=agency,
        lead_practitioner=practitioner, today=end,
    ), consent_on=started, assessment_started_on=started, lead_agency=agency,
       lead_practitioner=practitioner)  # fmt: skip
    completed = started + timedelta(days=rng.randint(7, 45))
    if completed > end:
        return _write(writer, row, members, reviews)
    needs = rng.sample(Need.values, rng.randint(1, 3))
    status = decide_complete_assessment(
        unsaved(EarlyHelpEpisode, row), completed_on=completed, needs=needs, today=end
    )
    row.update(status=status, assessment_completed_on=completed, needs=needs)
    joined = completed + timedelta(days=rng.randint(0, 7))
    for _ in range(rng.randint(1, 3)):
        if joined <= end:
            members.append((joined, _pick(rng, LEAD_AGENCIES)))
    plan_on = joined + timedelta(days=rng.randint(0, 7))
    closing = plan_on + timedelta(days=rng.randint(60, 270))
    reason = _pick(rng, CLOSURES)
    if plan_on <= end and members:
        status = decide_plan_start(
            unsaved(EarlyHelpEpisode, row), started_on=plan_on, team_around_family=True, today=end
        )
        row.update(status=status, plan_started_on=plan_on)
        held = plan_on + timedelta(days=REVIEW_INTERVAL_DAYS - rng.randint(0, 7))
        due = plan_on + timedelta(days=REVIEW_INTERVAL_DAYS)
        while held < min(closing, end):
            reviews.append((held, due))
            due = held + timedelta(days=REVIEW_INTERVAL_DAYS)
            held = held + timedelta(days=REVIEW_INTERVAL_DAYS - rng.randint(-7, 7))
        row["next_review_due_on"] = due
    _close(row, closing, reason, end, related=[d for d, _ in members + reviews])
    if row["closure_reason"] == ClosureReason.STEPPED_UP:
        row["step_up_contact_id"] = _step_up_contact(writer, ids, row, end, recorder)
    return _write(writer, row, members, reviews)


def _close(row: dict, day: date, reason: str, end: date, *, related=()) -> None:
    if day <= end:
        record = unsaved(EarlyHelpEpisode, row)
        last_on = last_event_on(record, *related)
        status = decide_close(record, closed_on=day, last_on=last_on, today=end)
        row.update(status=status, closed_on=day, closure_reason=reason)


def _step_up_contact(writer, ids, row: dict, end: date, recorder: int | None) -> int:
    """The contact from early help (source 5D) that ``services.step_up`` records on the
    closure day, about the episode's child."""
    received = _stamp(row["closed_on"])
    decided = _stamp(min(row["closed_on"] + timedelta(days=1), end))
    contact_id = ids[Contact]
    ids[Contact] += 1
    contact = {
        "id": contact_id, "received_at": received, "source": STEP_UP_SOURCE,
        "reason": STEP_UP_REASON, "recorded_by_id": recorder, "status": status_after(Contact),
        "screening_due_on": screening_due_on(received, GENERATED_STANDARD), "decided_at": decided,
        "decided_by_id": recorder, "decision_notes": "", "created_at": received,
        "updated_at": decided,
    }  # fmt: skip
    # Screened as contact_screen decides (advice: social care has already been simulated).
    decisions = {row["child_id"]: ScreeningDecision.ADVICE}
    contact["status"] = decide_screen(
        unsaved(Contact, contact), lines=[ContactChild(child=Child(id=row["child_id"]))],
        decisions=decisions, decided_at=decided, open_cases=(),
    )  # fmt: skip
    writer.add(Contact, contact)
    writer.add(ContactChild, {
        "id": ids[ContactChild], "contact_id": contact_id, "child_id": row["child_id"],
        "decision": ScreeningDecision.ADVICE,
    }, history=False)  # fmt: skip
    ids[ContactChild] += 1
    return contact_id


def _write(writer, row, members, reviews) -> date | None:
    writer.add(EarlyHelpEpisode, row, history_date=row["created_at"])
    for joined, agency in members:
        writer.add(TeamAroundFamilyMember, {
            "id": _next(writer, TeamAroundFamilyMember), "episode_id": row["id"],
            "name": "TAF member", "agency": agency, "role": "", "joined_on": joined,
            "created_at": _stamp(joined), "updated_at": _stamp(joined),
        }, history_date=_stamp(joined))  # fmt: skip
    for held, due in reviews:
        writer.add(EarlyHelpReview, {
            "id": _next(writer, EarlyHelpReview), "episode_id": row["id"], "held_on": held,
            "due_on": due, "progress": "Plan reviewed with the family",
            "recorded_by_id": None, "created_at": _stamp(held), "updated_at": _stamp(held),
        }, history_date=_stamp(held))  # fmt: skip
    writer.maybe_flush()
    return row["closed_on"]


def _next(writer, model) -> int:
    table = writer.tables[model]
    table.last_id = table.last_id or (model.objects.aggregate(m=Max("pk"))["m"] or 0)
    table.last_id += 1
    return table.last_id

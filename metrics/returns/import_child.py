"""Load one census child through the domain services, in the order things happened.

Each record the file holds becomes the service call a worker would have made: the child
(``child_create`` / ``child_update``), the episode (``referral_open`` ... ``referral_close``),
assessments, CIN plans, strategy discussions and s47s, ICPCs, CP plans and their reviews. The
calls for one episode run in date order, because the services check each step against what
is already recorded (no overlaps, nothing before the referral or after the closure).

The census holds less than the services ask for, so the importer supplies, and says so in
each record's history:
- an assessment's outcome (not a census item): NFA for factor 21 or an RC8 closure, early
  help for RC9, else CIN plan / strategy discussion when one followed, else "other";
- completion and submission on the authorisation date (the census holds only that date);
- an s47 outcome of ICPC when an ICPC is dated, else CIN plan or NFA; an s47 whose ICPC was
  not required ends on the episode's closure date (the census has no s47 end date), or
  keeps no end date while the episode is open;
- a CP plan ended outside a review gets the reason ``PLAN_ENDED_REASON``.

Three steps cannot go through a service, and instead apply the same decision or
``casework.rules`` checks the service applies:
- authorisation: ``assessment_authorise`` refuses a user who completed the assessment (a
  second pair of eyes); the census records that authorisation happened in the source system,
  by someone the file does not name. The importer asks the service's own decision
  (``decide_authorise``, ``in_source_system``): the date, order and factor rules still
  apply. The date the child was seen is not a census item and stays empty rather than
  invented; a seen date Caseflow already holds must not be after the authorisation.
- an ICPC whose s47 is in no file (a plan open on 1 April that began in an earlier year):
  ``icpc_record`` needs the s47. The episode-date and working-day rules still apply.
- the primary need of an episode with no assessment authorised in the files (recorded by
  ``assessment_complete`` otherwise): the census code check still applies.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from casework import errors, rules, timescales
from casework.codes import NO_FACTORS, ClosureReason, PrimaryNeed
from casework.errors import DomainError
from casework.models import (
    Assessment,
    AssessmentOutcome,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceKind,
    ConferenceOutcome,
    S47Outcome,
    Section47Enquiry,
)
from casework.services import (
    assessment_complete,
    assessment_start,
    assessment_submit,
    child_create,
    child_update,
    cin_plan_end,
    cin_plan_start,
    cp_plan_end,
    cp_plan_start,
    icpc_record,
    review_record,
    s47_complete,
    s47_submit_outcome,
    strategy_discussion_record,
)
from casework.services.assessments import decide_authorise
from casework.services.children import check_upn_unknown_reason
from casework.services.common import lock, save
from casework.services.protection import decide_icpc_hold
from metrics.returns.records import (
    AssessmentRecord,
    ChildRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
)
from referrals.models import Referral
from referrals.services import referral_close, referral_open

IMPORTED_FIRST_NAME = "Imported"  # the census carries no names
PLAN_ENDED_REASON = "Ended outside a review (CIN census import; the census holds no reason)"
FROM_SOURCE = "in the source system (CIN census import)"
CIN_PLAN_ENDS_ON_CP_START = (
    "The child in need plan ends on {day:%d/%m/%Y}, the day the child protection plan starts: "
    "Caseflow does not let the two plans share a day (domain.md section 2), although the "
    "census rule 4001 does. End the CIN plan the day before in the source system and "
    "export again."
)
LATEST_CATEGORY_WITHOUT_REVIEW = (
    "The latest category of abuse ({latest}) differs from the plan's category ({held}) but "
    "no new review conference is in the file to record the change"
)

# Same-day steps run in this order (a plan starts before it ends, the ICPC before its plan).
OPEN, A_START, A_AUTHORISE, CIN_START, CIN_END = range(5)
S47_START, S47_NOT_REQUIRED, ICPC, CP_START, REVIEW, CP_END, CLOSE = range(5, 12)


@dataclass(order=True)
class _Step:
    on: date
    order: int
    seq: int
    label: str = field(compare=False)
    run: Callable[[], object] = field(compare=False)


def _f(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "-"


class ChildLoader:
    """Load one ``ChildRecord``; the caller holds the transaction. ``load`` says if it wrote."""

    def __init__(self, *, by):
        self.by = by
        self.changed = False
        self.notes: list[str] = []
        self._seq = itertools.count()

    def load(self, record: ChildRecord) -> bool:
        # The file's own UN7 must fit the file's own episodes (rule 8772): the referral
        # service would otherwise move it on, and the child would not load as the file has it.
        try:
            rules.upn_unknown_fits_referrals(
                record.upn_unknown_reason, [ep.nfa for ep in record.episodes]
            )
        except DomainError as exc:
            raise DomainError(f"Child: {exc.message}", exc.field) from exc
        child = self._child(record)
        for ep in sorted(record.episodes, key=lambda e: e.referred_on):
            self._episode(child, ep)
        # The child service's UPN rule, now that every episode (held or from the file) is in.
        child.refresh_from_db()
        try:
            check_upn_unknown_reason(child)
        except DomainError as exc:
            raise DomainError(f"Child: {exc.message}", exc.field) from exc
        return self.changed

    def _run(self, label: str, call: Callable[[], object]):
        try:
            result = call()
        except DomainError as exc:
            raise DomainError(f"{label}: {exc.message}", exc.field) from exc
        self.changed = True
        return result

    def _step(self, steps: list[_Step], on: date, order: int, label: str, run) -> None:
        steps.append(_Step(on, order, next(self._seq), label, run))

    # -- the child and the episode ------------------------------------------------------------

    def _child(self, record: ChildRecord) -> Child:
        child = Child.objects.current().filter(la_child_id=record.la_child_id).first()
        identity = {
            "date_of_birth": record.date_of_birth,
            "expected_date_of_birth": record.expected_date_of_birth,
            "upn": record.upn,
            "upn_unknown_reason": record.upn_unknown_reason,
            "disabilities": record.disabilities,
        }
        if child is None:
            return self._run(
                "Child",
                lambda: child_create(
                    by=self.by,
                    la_child_id=record.la_child_id,
                    first_name=IMPORTED_FIRST_NAME,
                    last_name=record.la_child_id,
                    sex=record.sex,
                    ethnicity=record.ethnicity,
                    **identity,
                ),
            )
        # Fill what is still empty on the held child; never overwrite it.
        gaps = {
            k: v for k, v in identity.items() if v not in (None, "", []) and not getattr(child, k)
        }
        if gaps:
            child = self._run(
                "Child",
                lambda: child_update(child=child, by=self.by, version=child.version, **gaps),
            )
        return child

    def _episode(self, child: Child, ep: EpisodeRecord) -> None:
        label = f"Episode referred {_f(ep.referred_on)}"
        ref = Referral.objects.current().filter(child=child, referred_on=ep.referred_on).first()
        if ref is None:
            ref = self._run(
                label,
                lambda: referral_open(
                    child=child,
                    by=self.by,
                    referred_on=ep.referred_on,
                    source=ep.source,
                    nfa=ep.nfa,
                ),
            )
        steps: list[_Step] = []
        for a in ep.assessments:
            self._assessment(steps, ref, a, ep)
        self._cin_plans(steps, ref, ep)
        plan_starts = {p.started_on for p in ep.cp_plans}
        for s in ep.s47s:
            self._s47(steps, ref, s, ep, plan_starts)
        if ep.icpc_on and not _held_icpc(ref.child_id, ep.icpc_on):
            plan = ep.icpc_on in plan_starts
            run = lambda: self._icpc_without_s47(ref, ep.icpc_on, plan=plan)  # noqa: E731
            self._step(steps, ep.icpc_on, ICPC, f"ICPC {_f(ep.icpc_on)}", run)
        for p in ep.cp_plans:
            self._cp_plan(steps, ref, p)
        if ep.closed_on and ref.status == Referral.Status.OPEN:
            run = lambda: referral_close(  # noqa: E731
                referral=ref, by=self.by, closed_on=ep.closed_on, reason=ep.closure_reason
            )
            self._step(steps, ep.closed_on, CLOSE, f"{label}, closed {_f(ep.closed_on)}", run)
        for step in sorted(steps):
            self._run(step.label, step.run)
        ref.refresh_from_db()
        if ep.primary_need and not ref.primary_need:
            self._run(label, lambda: self._primary_need(ref, ep.primary_need))

    # -- assessments and CIN plans ------------------------------------------------------------

    def _assessment(self, steps, ref: Referral, a: AssessmentRecord, ep: EpisodeRecord) -> None:
        label = f"Assessment started {_f(a.started_on)}"
        found = Assessment.objects.current().filter(referral=ref, started_on=a.started_on).first()
        if found is None:
            run = lambda: assessment_start(  # noqa: E731
                referral=ref, by=self.by, started_on=a.started_on
            )
            self._step(steps, a.started_on, A_START, label, run)
        if a.authorised_on and (found is None or found.authorised_on is None):
            run = lambda: self._authorise(ref, a, ep)  # noqa: E731
            self._step(steps, a.authorised_on, A_AUTHORISE, f"{label}, authorised", run)

    def _authorise(self, ref: Referral, a: AssessmentRecord, ep: EpisodeRecord) -> None:
        assessment = Assessment.objects.current().get(referral=ref, started_on=a.started_on)
        on = a.authorised_on
        if assessment.status in (Assessment.Status.IN_PROGRESS, Assessment.Status.RETURNED):
            assessment = assessment_complete(
                assessment=assessment,
                by=self.by,
                completed_on=on,
                outcome=_assessment_outcome(a, ep),
                factors=a.factors,
                primary_need=ep.primary_need,
            )
        if assessment.status == Assessment.Status.COMPLETED:
            assessment = assessment_submit(assessment=assessment, by=self.by, submitted_on=on)
        # assessment_authorise's own decision, as authorised in the source system (see top).
        assessment = lock(assessment)
        decide_authorise(
            assessment, authorised_on=on, by_id=None, completed_by_id=None, in_source_system=True
        )
        assessment.authorise()
        assessment.authorised_on, assessment.authorised_by = on, self.by
        save(assessment, by=self.by, why=f"Authorised {FROM_SOURCE}")

    def _primary_need(self, ref: Referral, code: str) -> None:
        if code not in PrimaryNeed.values:
            raise DomainError(errors.PRIMARY_NEED_UNKNOWN.format(value=code), "primary_need")
        ref = lock(ref)
        ref.primary_need = code
        save(ref, by=self.by, why=f"Primary need {code} recorded {FROM_SOURCE}")

    def _cin_plans(self, steps, ref: Referral, ep: EpisodeRecord) -> None:
        for p in ep.cin_plans:
            label = f"CIN plan started {_f(p.started_on)}"
            found = CINPlan.objects.current().filter(referral=ref, started_on=p.started_on).first()
            if found is None:
                run = lambda p=p: cin_plan_start(  # noqa: E731
                    referral=ref, by=self.by, started_on=p.started_on
                )
                self._step(steps, p.started_on, CIN_START, label, run)
            if p.ended_on and (found is None or found.ended_on is None):
                run = lambda p=p: cin_plan_end(  # noqa: E731
                    plan=CINPlan.objects.current().get(referral=ref, started_on=p.started_on),
                    by=self.by,
                    ended_on=p.ended_on,
                )
                self._step(steps, p.ended_on, CIN_END, f"{label}, ended", run)

    # -- section 47 enquiries and ICPCs -------------------------------------------------------

    def _s47(
        self, steps, ref: Referral, s: Section47Record, ep: EpisodeRecord, plan_starts
    ) -> None:
        label = f"Section 47 enquiry started {_f(s.started_on)}"
        found = (
            Section47Enquiry.objects.current().filter(referral=ref, started_on=s.started_on).first()
        )
        if found is None:
            run = lambda: strategy_discussion_record(  # noqa: E731
                referral=ref, by=self.by, held_on=s.started_on, s47_required=True
            )
            self._step(steps, s.started_on, S47_START, label, run)
            target = timescales.icpc_due_on(s.started_on)
            if s.icpc_target_on and s.icpc_target_on != target:
                self.notes.append(
                    f"{ref.child.la_child_id}: s47 from {_f(s.started_on)} has ICPC target "
                    f"{_f(s.icpc_target_on)} in the file; Caseflow's calendar gives {_f(target)}"
                )
        pending = found is None or found.status != Section47Enquiry.Status.COMPLETED
        if s.icpc_not_required and pending:
            outcome = _s47_outcome_without_icpc(s, ep)
            # Over by the episode's closure at the latest: without that end a later episode's
            # s47 would overlap this one.
            ended_on = ep.closed_on
            run = lambda: self._s47_resolve(ref, s, outcome=outcome, ended_on=ended_on)  # noqa: E731
            self._step(steps, s.started_on, S47_NOT_REQUIRED, f"{label}, ICPC not required", run)
        if s.icpc_on and not _held_icpc(ref.child_id, s.icpc_on):
            plan = ConferenceOutcome.PLAN if s.icpc_on in plan_starts else ConferenceOutcome.NO_PLAN
            run = lambda: self._s47_icpc(ref, s, plan)  # noqa: E731
            self._step(steps, s.icpc_on, ICPC, f"{label}, ICPC {_f(s.icpc_on)}", run)

    def _s47_resolve(self, ref, s: Section47Record, *, outcome: str, ended_on) -> Section47Enquiry:
        s47 = Section47Enquiry.objects.current().get(referral=ref, started_on=s.started_on)
        if s47.status == Section47Enquiry.Status.OPEN:
            s47 = s47_submit_outcome(s47=s47, by=self.by, ended_on=ended_on, outcome=outcome)
        if s47.status == Section47Enquiry.Status.SUBMITTED:
            s47 = s47_complete(s47=s47, by=self.by)
        return s47

    def _s47_icpc(self, ref, s: Section47Record, outcome: str) -> None:
        s47 = self._s47_resolve(ref, s, outcome=S47Outcome.ICPC, ended_on=s.icpc_on)
        icpc_record(s47=s47, by=self.by, held_on=s.icpc_on, outcome=outcome)

    def _icpc_without_s47(self, ref: Referral, held_on: date, *, plan: bool) -> None:
        # icpc_record's decision; the s47 it needs is in no file (see top).
        referral = lock(ref)
        conference = ChildProtectionConference(
            child_id=referral.child_id,
            referral=referral,
            kind=ConferenceKind.INITIAL,
            due_on=held_on,
        )
        outcome = ConferenceOutcome.PLAN if plan else ConferenceOutcome.NO_PLAN
        decide_icpc_hold(conference, referral=referral, held_on=held_on, outcome=outcome)
        conference.hold()
        conference.held_on, conference.outcome = held_on, outcome
        save(conference, by=self.by, why=f"Initial conference held {FROM_SOURCE}")

    # -- child protection plans ---------------------------------------------------------------

    def _cp_plan(self, steps, ref: Referral, p: CPPlanRecord) -> None:
        label = f"CP plan started {_f(p.started_on)}"
        found = (
            ChildProtectionPlan.objects.current()
            .filter(child_id=ref.child_id, started_on=p.started_on)
            .first()
        )
        if found is None:
            if not _held_icpc(ref.child_id, p.started_on) and p.started_on not in _icpc_days(steps):
                # A plan open on 1 April whose ICPC is in an earlier year than any file.
                run = lambda: self._icpc_without_s47(ref, p.started_on, plan=True)  # noqa: E731
                self._step(steps, p.started_on, ICPC, f"ICPC {_f(p.started_on)}", run)
            run = lambda: self._cp_plan_start(ref, p)  # noqa: E731
            self._step(steps, p.started_on, CP_START, label, run)
        held = {r.held_on for r in found.reviews.filter(entered_in_error=False)} if found else set()
        new_reviews = sorted(d for d in p.reviews if d not in held)
        latest = found.latest_category if found else p.initial_category
        if p.latest_category and p.latest_category != latest and not new_reviews:
            raise DomainError(
                f"{label}: "
                + LATEST_CATEGORY_WITHOUT_REVIEW.format(latest=p.latest_category, held=latest),
                "latest_category",
            )
        for day in new_reviews:
            outcome = (
                ConferenceOutcome.END_PLAN if day == p.ended_on else ConferenceOutcome.CONTINUE
            )
            category = p.latest_category if day == new_reviews[-1] else ""
            run = lambda day=day, outcome=outcome, category=category: review_record(  # noqa: E731
                plan=ChildProtectionPlan.objects.current().get(
                    child_id=ref.child_id, started_on=p.started_on
                ),
                by=self.by,
                held_on=day,
                outcome=outcome,
                latest_category=category,
            )
            self._step(steps, day, REVIEW, f"{label}, review {_f(day)}", run)
        ends_at_review = p.ended_on in new_reviews
        if p.ended_on and not ends_at_review and (found is None or found.ended_on is None):
            run = lambda: cp_plan_end(  # noqa: E731
                plan=ChildProtectionPlan.objects.current().get(
                    child_id=ref.child_id, started_on=p.started_on
                ),
                by=self.by,
                ended_on=p.ended_on,
                reason=PLAN_ENDED_REASON,
            )
            self._step(steps, p.ended_on, CP_END, f"{label}, ended", run)

    def _cp_plan_start(self, ref: Referral, p: CPPlanRecord) -> None:
        child_id = ref.child_id
        if CINPlan.objects.current().filter(child_id=child_id, ended_on=p.started_on).exists():
            raise DomainError(CIN_PLAN_ENDS_ON_CP_START.format(day=p.started_on), "ended_on")
        icpc = _held_icpc(child_id, p.started_on)
        cp_plan_start(icpc=icpc, by=self.by, category=p.initial_category)
        held = (
            ChildProtectionPlan.objects.current()
            .filter(child_id=child_id, started_on__lt=p.started_on)
            .count()
        )
        if p.previous_plans > held:
            self.notes.append(
                f"{ref.child.la_child_id}: plan from {_f(p.started_on)} had {p.previous_plans} "
                f"previous plans; {held} are held (load earlier years' files to add them)"
            )


def _held_icpc(child_id: int, held_on: date) -> ChildProtectionConference | None:
    return (
        ChildProtectionConference.objects.current()
        .filter(
            child_id=child_id,
            kind=ConferenceKind.INITIAL,
            status=ChildProtectionConference.Status.HELD,
            held_on=held_on,
        )
        .first()
    )


def _icpc_days(steps: list[_Step]) -> set[date]:
    return {s.on for s in steps if s.order == ICPC}


def _assessment_outcome(a: AssessmentRecord, ep: EpisodeRecord) -> str:
    """The census holds no outcome: read it from the factors, the closure and what followed."""
    if a.factors == [NO_FACTORS] or ep.closure_reason == ClosureReason.RC8:
        return AssessmentOutcome.NFA
    if ep.closure_reason == ClosureReason.RC9:
        return AssessmentOutcome.EARLY_HELP
    if any(p.started_on >= a.started_on for p in ep.cin_plans):
        return AssessmentOutcome.CIN_PLAN
    if any(s.started_on >= a.started_on for s in ep.s47s):
        return AssessmentOutcome.STRATEGY_DISCUSSION
    return AssessmentOutcome.OTHER


def _s47_outcome_without_icpc(s: Section47Record, ep: EpisodeRecord) -> str:
    if any(p.started_on >= s.started_on for p in ep.cin_plans):
        return S47Outcome.CIN_PLAN
    return S47Outcome.NFA

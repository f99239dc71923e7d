"""Load an authority's history from CIN census XML files (one or more years).

Each ``Child`` is checked on its own: against the schema, then against the census rules that
Caseflow enforces at entry (``Rule.blocks_import``: domain.md section 2), then loaded in one
transaction, so a child is either wholly loaded or not at all. Files merge by LA child ID, and
every record is matched before it is created (episode by referral date, assessment / s47 / CIN
plan by start date within the episode, CP plan by start date, review by date), so a second run
loads nothing twice. Matched records only have their gaps filled (a closure, an authorisation,
a plan end that a later year's file reports).

The domain services are not on main yet: rows are written here with ``full_clean()`` (field
validators and the models' constraints) plus the blocking census rules.
TODO(services): route the writes through casework/referrals services once merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casework.calendar import add_working_days
from casework.models import (
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceKind,
    ConferenceOutcome,
    S47Outcome,
    Section47Enquiry,
    StrategyDiscussion,
)
from metrics.returns import cin_xml
from metrics.returns.checks import check_child
from metrics.returns.records import CensusPeriod, ChildRecord, EpisodeRecord
from referrals.models import Referral

IMPORTED_FIRST_NAME = "Imported"  # the census carries no names


@dataclass
class Rejection:
    file: str
    la_child_id: str
    reasons: list[str]

    def __str__(self) -> str:
        who = self.la_child_id or "(file)"
        return f"{self.file}: {who}: " + "; ".join(self.reasons)


@dataclass
class ImportReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def census_import(*, paths: list[Path]) -> ImportReport:
    """Load every valid child in ``paths``; list every rejected child or file with the reason."""
    report = ImportReport()
    # Oldest year first, so later years fill closures and end dates into what earlier ones made.
    for path in sorted(paths, key=_file_year):
        name = Path(path).name
        try:
            cin_xml.check_well_formed(path)
        except cin_xml.CensusFormatError as exc:
            report.rejected.append(Rejection(name, "", [str(exc)]))
            continue
        year = _year(cin_xml.read_header(path))
        for header, el in cin_xml.iter_child_elements(path):
            _import_one(report, name, year, header, el)
    return report


def _file_year(path) -> int:
    try:
        return _year(cin_xml.read_header(path))
    except Exception:  # malformed: reported in order by census_import
        return 0


def _year(header: dict) -> int:
    try:
        return int(header.get("year") or 0)
    except ValueError:
        return 0


def _import_one(report: ImportReport, name: str, year: int, header, el) -> None:
    la_id = (el.findtext("ChildIdentifiers/LAchildID") or "").strip()
    errors = cin_xml.child_schema_errors(header, el)
    if errors:
        report.rejected.append(Rejection(name, la_id, errors))
        return
    record = cin_xml.child_from_element(el)
    blocking = [
        f"{f.rule.id} {f.rule.message}: {f.detail}"
        for f in check_child(record, CensusPeriod(year or 2000))
        if f.rule.blocks_import
    ]
    if blocking:
        report.rejected.append(Rejection(name, la_id, blocking))
        return
    try:
        with transaction.atomic():
            changed = _load_child(record, report.notes)
    except (ValidationError, IntegrityError) as exc:
        reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc).splitlines()[0]]
        report.rejected.append(Rejection(name, la_id, reasons))
        return
    (report.loaded if changed else report.unchanged).append(la_id)


class _Tracker:
    def __init__(self):
        self.changed = False

    def create(self, model, **fields):
        obj = model(**fields)
        obj.full_clean()
        obj.save()
        self.changed = True
        return obj

    def fill(self, obj, **fields):
        """Set fields that are still empty on a matched record; never overwrite."""
        gaps = {k: v for k, v in fields.items() if v not in (None, "", []) and not getattr(obj, k)}
        if gaps:
            for k, v in gaps.items():
                setattr(obj, k, v)
            obj.full_clean()
            obj.save(update_fields=[*gaps, "updated_at"])
            self.changed = True
        return obj


def _load_child(record: ChildRecord, notes: list[str]) -> bool:
    t = _Tracker()
    child = Child.objects.current().filter(la_child_id=record.la_child_id).first()
    identity = {
        "date_of_birth": record.date_of_birth,
        "expected_date_of_birth": record.expected_date_of_birth,
        "upn": record.upn,
        "upn_unknown_reason": record.upn_unknown_reason,
        "disabilities": record.disabilities,
    }
    if child is None:
        child = t.create(
            Child,
            la_child_id=record.la_child_id,
            first_name=IMPORTED_FIRST_NAME,
            last_name=record.la_child_id,
            sex=record.sex,
            ethnicity=record.ethnicity,
            **identity,
        )
    else:
        t.fill(child, **identity)
    for ep in record.episodes:
        _load_episode(t, child, ep, notes)
    return t.changed


def _load_episode(t: _Tracker, child: Child, ep: EpisodeRecord, notes: list[str]) -> None:
    ref = Referral.objects.current().filter(child=child, referred_on=ep.referred_on).first()
    closure = {"closed_on": ep.closed_on, "closure_reason": ep.closure_reason}
    if ref is None:
        ref = t.create(
            Referral,
            child=child,
            referred_on=ep.referred_on,
            source=ep.source,
            nfa=ep.nfa,
            primary_need=ep.primary_need,
            status=Referral.Status.CLOSED if ep.closed_on else Referral.Status.OPEN,
            assessment_due_on=add_working_days(ep.referred_on, 45),
            **closure,
        )
    else:
        if ep.closed_on and not ref.closed_on:
            ref.status = Referral.Status.CLOSED
        t.fill(ref, primary_need=ep.primary_need, **closure)
    for a in ep.assessments:
        _load_assessment(t, ref, a, ep)
    for p in ep.cin_plans:
        found = CINPlan.objects.current().filter(referral=ref, started_on=p.started_on).first()
        if found is None:
            status = CINPlan.Status.ENDED if p.ended_on else CINPlan.Status.ACTIVE
            t.create(
                CINPlan,
                child=child,
                referral=ref,
                started_on=p.started_on,
                ended_on=p.ended_on,
                status=status,
            )
        else:
            _end(t, found, p.ended_on, CINPlan.Status.ENDED)
    plan_starts = {p.started_on for p in ep.cp_plans}
    for s in ep.s47s:
        _load_s47(t, ref, s, plan_starts)
    if ep.icpc_on:
        _icpc(t, ref, ep.icpc_on, None, ep.icpc_on, ep.icpc_on in plan_starts)
    for p in ep.cp_plans:
        _load_cp_plan(t, ref, p, notes)


def _load_assessment(t: _Tracker, ref: Referral, a, ep: EpisodeRecord) -> None:
    found = Assessment.objects.current().filter(referral=ref, started_on=a.started_on).first()
    # The census holds no outcome; an RC8/RC9 closure says what the assessment concluded.
    outcome = {"RC8": "nfa", "RC9": "early_help"}.get(ep.closure_reason, "")
    status = Assessment.Status.AUTHORISED if a.authorised_on else Assessment.Status.IN_PROGRESS
    if found is None:
        t.create(
            Assessment,
            child=ref.child,
            referral=ref,
            started_on=a.started_on,
            due_on=add_working_days(ref.referred_on, 45),
            dfe_due_on=add_working_days(a.started_on, 45),
            authorised_on=a.authorised_on,
            status=status,
            factors=a.factors,
            outcome=outcome if a.authorised_on else "",
        )
    elif a.authorised_on and not found.authorised_on:
        found.status = status
        t.fill(found, authorised_on=a.authorised_on, factors=a.factors, outcome=outcome)


def _load_s47(t: _Tracker, ref: Referral, s, plan_starts: set) -> None:
    found = Section47Enquiry.objects.current().filter(referral=ref, started_on=s.started_on).first()
    if found is None:
        discussion = t.create(
            StrategyDiscussion,
            child=ref.child,
            referral=ref,
            held_on=s.started_on,
            s47_required=True,
        )
        resolved = bool(s.icpc_on or s.icpc_not_required)
        found = t.create(
            Section47Enquiry,
            child=ref.child,
            referral=ref,
            strategy_discussion=discussion,
            started_on=s.started_on,
            icpc_due_on=s.icpc_target_on or add_working_days(s.started_on, 15),
            icpc_not_required=s.icpc_not_required,
            ended_on=s.icpc_on,
            outcome=S47Outcome.ICPC if s.icpc_on else "",
            status=Section47Enquiry.Status.COMPLETED if resolved else Section47Enquiry.Status.OPEN,
        )
    elif s.icpc_not_required and not found.icpc_not_required:
        found.icpc_not_required = True
        found.status = Section47Enquiry.Status.COMPLETED
        found.save(update_fields=["icpc_not_required", "status", "updated_at"])
        t.changed = True
    if s.icpc_on:
        _icpc(t, ref, s.icpc_on, found, found.icpc_due_on, s.icpc_on in plan_starts)
        if not found.ended_on:
            found.status = Section47Enquiry.Status.COMPLETED
            t.fill(found, ended_on=s.icpc_on, outcome=S47Outcome.ICPC)


def _icpc(t: _Tracker, ref: Referral, held_on, s47, due_on, plan: bool):
    found = (
        ChildProtectionConference.objects.current()
        .filter(referral=ref, kind=ConferenceKind.INITIAL, held_on=held_on)
        .first()
    )
    if found is not None:
        if s47 is not None and found.s47_id is None:
            t.fill(found, s47=s47)
        return found
    return t.create(
        ChildProtectionConference,
        child=ref.child,
        referral=ref,
        kind=ConferenceKind.INITIAL,
        s47=s47,
        due_on=due_on,
        held_on=held_on,
        status=ChildProtectionConference.Status.HELD,
        outcome=ConferenceOutcome.PLAN if plan else ConferenceOutcome.NO_PLAN,
    )


def _load_cp_plan(t: _Tracker, ref: Referral, p, notes: list[str]) -> None:
    child = ref.child
    found = (
        ChildProtectionPlan.objects.current().filter(child=child, started_on=p.started_on).first()
    )
    if found is None:
        # A plan open on 1 April had its ICPC in an earlier year, possibly not in any file:
        # the conference is recorded on the plan's start date (the census says they match).
        icpc = _icpc(t, ref, p.started_on, None, p.started_on, True)
        found = t.create(
            ChildProtectionPlan,
            child=child,
            referral=ref,
            icpc=icpc,
            started_on=p.started_on,
            ended_on=p.ended_on,
            status=ChildProtectionPlan.Status.ENDED if p.ended_on else "active",
            initial_category=p.initial_category,
            latest_category=p.latest_category,
            first_core_group_due_on=add_working_days(p.started_on, 10),
        )
        held = (
            ChildProtectionPlan.objects.current()
            .filter(child=child, started_on__lt=p.started_on)
            .count()
        )
        if p.previous_plans > held:
            notes.append(
                f"{child.la_child_id}: plan from {p.started_on:%d/%m/%Y} had {p.previous_plans} "
                f"previous plans; {held} are held (load earlier years' files to add them)"
            )
    else:
        if p.latest_category and found.latest_category != p.latest_category and p.ended_on:
            found.latest_category = p.latest_category
            found.save(update_fields=["latest_category", "updated_at"])
            t.changed = True
        _end(t, found, p.ended_on, ChildProtectionPlan.Status.ENDED)
    for day in p.reviews:
        exists = found.reviews.filter(entered_in_error=False, held_on=day).exists()
        if not exists:
            t.create(
                ChildProtectionConference,
                child=child,
                referral=found.referral,
                kind=ConferenceKind.REVIEW,
                plan=found,
                due_on=day,
                held_on=day,
                status=ChildProtectionConference.Status.HELD,
                outcome=ConferenceOutcome.CONTINUE,
            )


def _end(t: _Tracker, obj, ended_on, ended_status) -> None:
    if ended_on and not obj.ended_on:
        obj.status = ended_status
        t.fill(obj, ended_on=ended_on)

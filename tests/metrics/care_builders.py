"""Rows of children in care for KPI fixtures, written directly (as tests/metrics/builders),
their statuses asked of the care services' decisions (tests/factories/decided.py)."""

from __future__ import annotations

from datetime import date

from care.models import (
    AdoptionPlan,
    CareEpisode,
    CareLeaver,
    CarePeriod,
    CareReview,
    CareVisit,
    EducationPlan,
    HealthCheck,
    LeaverContact,
    MissingEpisode,
    Placement,
)
from tests.factories import decided


def period(child, started_on: date, *, ended_on: date | None = None, ls="C2", place="U6",
           worker=None, reason_ceased="E4A", **fields) -> CarePeriod:  # fmt: skip
    """A period of care with one placement and one episode (RNE S), ended (when it has an
    ``ended_on``) as the care_end service decides: the reason must fit the child's age and
    the placement."""
    p = CarePeriod(child=child, started_on=started_on, worker=worker, **fields)
    pl = Placement(child=child, period=p, place=place, provider=_provider(place),
                   started_on=started_on, ended_on=ended_on)  # fmt: skip
    episode = CareEpisode(child=child, period=p, placement=pl, started_on=started_on,
                          reason_new_episode="S", legal_status=ls,
                          category_of_need="N1")  # fmt: skip
    if ended_on:
        decided.care_ceased(p, episode=episode, ended_on=ended_on, reason=reason_ceased)
    p.save()
    pl.save()
    episode.save()
    return p


def _provider(place: str) -> str:
    return "" if place[0] == "T" else "PR1"  # temporary placements (T*) have no provider


def placement(p: CarePeriod, started_on: date, *, ended_on=None, place="U6", **kw) -> Placement:
    return Placement.objects.create(
        child=p.child, period=p, place=place, provider=_provider(place),
        started_on=started_on, ended_on=ended_on, **kw,
    )  # fmt: skip


def move(p: CarePeriod, on: date, *, place="U6", rne="P") -> Placement:
    """A placement change: the open episode ends X1 and the next starts on ``on``."""
    current = p.episodes.get(ended_on__isnull=True)
    CareEpisode.objects.filter(pk=current.pk).update(ended_on=on, reason_ceased="X1")
    Placement.objects.filter(pk=current.placement_id).update(ended_on=on, reason_change="CARPL")
    new = placement(p, on, ended_on=p.ended_on, place=place)
    CareEpisode.objects.create(
        child=p.child, period=p, placement=new, started_on=on, ended_on=p.ended_on,
        reason_new_episode=rne, legal_status=current.legal_status, category_of_need="N1",
    )  # fmt: skip
    return new


def review(p, held_on, due_on, number=1):
    return CareReview.objects.create(child=p.child, period=p, number=number, due_on=due_on,
                                     held_on=held_on, participation="PN1")  # fmt: skip


def visit(p, visited_on, due_on, *, seen=True):
    pl = p.placements.order_by("-started_on").first()
    return CareVisit.objects.create(child=p.child, period=p, placement=pl, due_on=due_on,
                                    visited_on=visited_on, child_seen=seen)  # fmt: skip


def health(p, kind, done_on, due_on=None):
    return HealthCheck.objects.create(child=p.child, period=p, kind=kind, done_on=done_on,
                                      due_on=due_on)  # fmt: skip


def pep(p, held_on, due_on):
    return EducationPlan.objects.create(child=p.child, period=p, held_on=held_on, due_on=due_on)


def missing(p, started_on, kind="M"):
    return MissingEpisode.objects.create(child=p.child, period=p, kind=kind,
                                         started_on=started_on)  # fmt: skip


def care_leaver(child, worker, *contacts) -> CareLeaver:
    """A care leaver with (age, in touch, activity, accommodation) birthday contacts."""
    leaver = CareLeaver.objects.create(child=child, worker=worker, eligibility="former_relevant")
    for age, in_touch, activity, accommodation in contacts:
        birthday = child.date_of_birth.replace(year=child.date_of_birth.year + age)
        LeaverContact.objects.create(leaver=leaver, child=child, contacted_on=birthday,
                                     birthday_age=age, birthday_on=birthday, in_touch=in_touch,
                                     activity=activity, accommodation=accommodation)  # fmt: skip
    return leaver


def adopted(p: CarePeriod, *, order: date, match: date, placed: date) -> AdoptionPlan:
    """The period ends in an adoption order (E11) after these steps, each asked of the
    adoption service's decision."""
    plan = AdoptionPlan(child=p.child, period=p, decided_on=order, placement_order_on=order)
    on = {"matched": match, "placed": placed, "adopted": p.ended_on}
    decided.adoption_to(plan, AdoptionPlan.Status.ADOPTED, on=on, adopters_number=2,
                        adopters_sex="MF", adopters_legal_status="L11",
                        place=p.placements.get().place)  # fmt: skip
    plan.save()
    return plan

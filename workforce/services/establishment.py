"""Posts, starters, leavers and absences (CSWW definitions: shared A1-A2).

A contract keeps the casework ``Worker`` row in step (team, role, FTE, employment,
newly qualified, start and leaving dates), so the caseload board and the allocation
guard, which read ``Worker``, need no second rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from casework import calendar
from casework.errors import DomainError
from casework.models import Team, Worker
from casework.models.organisation import SOCIAL_WORK_ROLES, SWE_REGISTRATION
from casework.predicates import open_allocations
from casework.services.common import lock
from workforce import errors
from workforce.models import Absence, Contract, Post
from workforce.permissions import can_maintain
from workforce.predicates import contract_in_post
from workforce.services import not_future, record, refuse


def _guard(by, team: Team) -> None:
    if not can_maintain(by, team):
        refuse(errors.NOT_ALLOWED, team=team)


def open_contracts(on: date):
    return Contract.objects.filter(contract_in_post(on))


def post_free_fte(post: Post, on: date) -> Decimal:
    taken = open_contracts(on).filter(post=post).aggregate(t=Sum("fte"))["t"] or Decimal(0)
    return max(post.budgeted_fte - taken, Decimal(0))


@transaction.atomic
def post_create(*, team: Team, role: str, budgeted_fte: Decimal, valid_from: date,
                title: str = "", by) -> Post:  # fmt: skip
    _guard(by, team)
    post = Post(team=team, role=role, budgeted_fte=budgeted_fte, valid_from=valid_from,
                title=title)  # fmt: skip
    return record(post, by=by, why="Post added", day=valid_from)


@transaction.atomic
def post_close(*, post: Post, valid_to: date, by) -> Post:
    post = lock(post)
    _guard(by, post.team)
    if open_contracts(valid_to + timedelta(days=1)).filter(post=post).exists():
        raise DomainError(errors.POST_HAS_CONTRACTS, field="valid_to")
    post.valid_to = valid_to
    return record(post, by=by, why="Post closed", day=valid_to)


def _check_post(post: Post, started_on: date, fte: Decimal) -> None:
    if started_on < post.valid_from:
        raise DomainError(errors.START_BEFORE_POST.format(day=f"{post.valid_from:%d/%m/%Y}"),
                          field="started_on")  # fmt: skip
    if post.valid_to is not None and post.valid_to < started_on:
        raise DomainError(errors.POST_CLOSED.format(day=f"{post.valid_to:%d/%m/%Y}"), field="post")
    free = post_free_fte(post, started_on)
    if fte > free:
        raise DomainError(errors.POST_OVERFILLED.format(free=free), field="fte")


@transaction.atomic
def contract_start(*, post: Post, started_on: date, fte: Decimal, employment: str,
                   newly_qualified: bool = False, worker: Worker | None = None,
                   first_name: str = "", last_name: str = "", staff_id: str = "",
                   swe_registration: str = "", by) -> Contract:  # fmt: skip
    """A starter (a new ``Worker``) or an existing worker taking up ``post``.

    The post's FTE free on the start date must cover ``fte``: an agency worker covering
    a vacancy takes the vacant FTE; one above establishment needs a post of their own.
    A new worker in a social work role gives their Social Work England number (the SSDA903
    SWEpisodes' SW_ID); an existing worker's is kept unless a new one is given.
    """
    post = lock(post)
    _guard(by, post.team)
    _check_post(post, started_on, fte)
    registration = _swe_registration(swe_registration, post.role, worker, new=worker is None)
    if worker is None:
        worker = _new_worker(post, started_on, fte, employment, newly_qualified,
                             first_name, last_name, staff_id, by, registration)  # fmt: skip
    else:
        worker = lock(worker)
        worker.swe_registration = registration or worker.swe_registration
        worker.team, worker.role, worker.fte = post.team, post.role, fte
        worker.employment, worker.newly_qualified, worker.left_on = (
            employment,
            newly_qualified,
            None,
        )
        record(worker, by=by, why="Took up a post")
    contract = Contract(worker=worker, post=post, started_on=started_on, fte=fte,
                        employment=employment, newly_qualified=newly_qualified)  # fmt: skip
    return record(contract, by=by, why="Starter", day=started_on)


def _swe_registration(number: str, role: str, worker: Worker | None, *, new: bool) -> str:
    """The Social Work England number checked: its format (the model's validator), held by
    no other worker, required of a new worker in a social work role, refused otherwise."""
    number = number.strip().upper()
    if role not in SOCIAL_WORK_ROLES:
        if number:
            raise DomainError(errors.SWE_NOT_SOCIAL_WORK, field="swe_registration")
        return ""
    if not number:
        if new:
            raise DomainError(errors.SWE_REQUIRED, field="swe_registration")
        return ""
    try:
        SWE_REGISTRATION(number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="swe_registration") from exc
    holder = Worker.objects.filter(swe_registration=number)
    if worker is not None:
        holder = holder.exclude(pk=worker.pk)
    if (other := holder.values_list("staff_id", flat=True).first()) is not None:
        raise DomainError(errors.SWE_TAKEN.format(staff_id=other, number=number),
                          field="swe_registration")  # fmt: skip
    return number


def _new_worker(post, started_on, fte, employment, nq, first, last, staff_id, by,
                registration) -> Worker:  # fmt: skip
    first, last, staff_id = first.strip(), last.strip(), staff_id.strip()
    if not first or not last:
        raise DomainError(errors.NAME_REQUIRED, field="first_name")
    if not staff_id:
        staff_id = f"W{Worker.objects.count() + 1:05d}"
        while Worker.objects.filter(staff_id=staff_id).exists():
            staff_id += "X"
    elif Worker.objects.filter(staff_id=staff_id).exists():
        raise DomainError(errors.STAFF_ID_TAKEN, field="staff_id")
    worker = Worker(staff_id=staff_id, first_name=first, last_name=last, team=post.team,
                    role=post.role, fte=fte, employment=employment, newly_qualified=nq,
                    protected_caseload_limit=18 if nq else None, started_on=started_on,
                    swe_registration=registration)  # fmt: skip
    return record(worker, by=by, why="Starter")


@transaction.atomic
def contract_end(*, contract: Contract, ended_on: date, leaving_reason: str = "", by) -> Contract:
    """End a contract; with a leaving reason the worker leaves the authority (a leaver).

    A leaver still holding children would drop off the caseload board with their
    children unseen, so they are reallocated first.
    """
    contract = (
        Contract.objects.select_for_update()
        .select_related("post__team", "worker")
        .get(pk=contract.pk)
    )
    _guard(by, contract.post.team)
    if contract.ended_on is not None:
        raise DomainError(errors.ALREADY_ENDED, field="ended_on")
    if ended_on < contract.started_on:
        raise DomainError(errors.END_BEFORE_START.format(day=f"{contract.started_on:%d/%m/%Y}"),
                          field="ended_on")  # fmt: skip
    contract.ended_on, contract.leaving_reason = ended_on, leaving_reason
    if leaving_reason:
        _worker_leaves(contract.worker, ended_on, by)
    return record(contract, by=by, why="Leaver" if leaving_reason else "Contract ended",
                  day=ended_on)  # fmt: skip


def _worker_leaves(worker: Worker, left_on: date, by) -> None:
    held = open_allocations().filter(worker=worker).count()
    if held:
        raise DomainError(errors.STILL_ALLOCATED.format(n=held), field="ended_on")
    worker = lock(worker)
    worker.left_on = left_on
    record(worker, by=by, why="Left the authority")


@transaction.atomic
def absence_record(*, worker: Worker, kind: str, started_on: date, ended_on: date,
                   days_lost: Decimal | None = None, by) -> Absence:  # fmt: skip
    """Working days lost default to the working days from start to end, inclusive."""
    _guard(by, worker.team)
    not_future(started_on, "started_on")
    if ended_on < started_on:
        raise DomainError(errors.END_BEFORE_START.format(day=f"{started_on:%d/%m/%Y}"),
                          field="ended_on")  # fmt: skip
    span = calendar.working_days_between(started_on, ended_on) + int(
        calendar.is_working_day(started_on)
    )
    if days_lost is None:
        days_lost = Decimal(span)
    elif days_lost > span:
        raise DomainError(errors.DAYS_LOST_TOO_MANY.format(n=span), field="days_lost")
    absence = Absence(worker=worker, kind=kind, started_on=started_on, ended_on=ended_on,
                      days_lost=days_lost)  # fmt: skip
    return record(absence, by=by, why="Absence", day=started_on)

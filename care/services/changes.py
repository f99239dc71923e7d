"""A change of legal status and/or placement inside a period of care: the episode ends
(X1) and the next starts the same day with the reason the SSDA903 return defines."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from care import codes, errors
from care.models import CareEpisode, CarePeriod
from care.services.checks import checked_code, checked_legal_status
from care.services.periods import current_episode, open_period
from care.services.placements import (
    PlacementDetails,
    end_placement,
    new_placement,
    refresh_visit_due,
    validate_placement,
)
from casework import rules
from casework.errors import DomainError
from casework.services.common import ExpectedVersion, actor, save
from casework.services.permissions import require


def new_episode_reason(*, legal_status_changed: bool, placement_changed: bool, same_carer: bool):
    """SSDA903 RNE for a change inside a period of care."""
    if legal_status_changed and placement_changed:
        return codes.NewEpisodeReason.U if same_carer else codes.NewEpisodeReason.B
    if placement_changed:
        return codes.NewEpisodeReason.T if same_carer else codes.NewEpisodeReason.P
    return codes.NewEpisodeReason.L


@transaction.atomic
def care_change(
    *,
    period: CarePeriod,
    by,
    changed_on: date,
    legal_status: str = "",
    placement: PlacementDetails | None = None,
    same_carer: bool = False,
    reason_place_change: str = "",
    expected_version: ExpectedVersion = None,
) -> CareEpisode:
    """A change of legal status and/or placement: a new SSDA903 episode the same day.

    A change on the day the current episode started replaces that episode's legal status
    or placement instead (the return holds the last placement of a day; a zero-length
    episode would be a data error), keeping the superseded placement on record.
    """
    require(by, "care_change")
    period = open_period(period, action="change", expected_version=expected_version)
    episode = current_episode(period)
    rules.not_in_future(changed_on, field="changed_on")
    if changed_on < episode.started_on:
        raise DomainError(
            errors.BEFORE_EPISODE.format(started_on=episode.started_on), field="changed_on"
        )
    ls_changed = bool(legal_status) and legal_status != episode.legal_status
    if ls_changed:
        checked_legal_status(period.child, legal_status, changed_on)
    if placement is None and not ls_changed:
        raise DomainError(errors.NOTHING_CHANGED, field="legal_status")
    if placement is not None:
        validate_placement(placement)
        checked_code(reason_place_change, codes.PlacementChangeReason,
                     label="reason for the placement change",
                     field="reason_place_change")  # fmt: skip
    if changed_on == episode.started_on:
        return _replace_same_day(period, episode, legal_status if ls_changed else "", placement,
                                 reason_place_change, by=by)  # fmt: skip
    episode.ended_on, episode.reason_ceased = changed_on, codes.ReasonCeased.X1
    episode.reason_place_change = reason_place_change if placement is not None else ""
    save(episode, by=by, why=f"Episode ended (X1) by {actor(by)}")
    current_placement = episode.placement
    if placement is not None:
        current_placement = end_placement(episode.placement, changed_on, reason_place_change, by=by)
        current_placement = new_placement(period, placement, changed_on, by=by)
    nxt = CareEpisode(
        child_id=period.child_id,
        period=period,
        placement=current_placement,
        started_on=changed_on,
        reason_new_episode=new_episode_reason(
            legal_status_changed=ls_changed,
            placement_changed=placement is not None,
            same_carer=same_carer,
        ),
        legal_status=legal_status if ls_changed else episode.legal_status,
        category_of_need=episode.category_of_need,
        home_postcode=episode.home_postcode,
    )
    save(nxt, by=by, why=f"New episode ({nxt.reason_new_episode}) recorded by {actor(by)}")
    if placement is not None:
        refresh_visit_due(period, by=by)
    return nxt


def _replace_same_day(period, episode, legal_status, placement, reason, *, by) -> CareEpisode:
    if legal_status:
        episode.legal_status = legal_status
    if placement is not None:
        if episode.reason_new_episode == codes.NewEpisodeReason.S and (
            placement.place in codes.TEMPORARY_PLACEMENTS
        ):
            raise DomainError(errors.TEMPORARY_AT_START_OR_END, field="place")
        end_placement(episode.placement, episode.started_on, reason, by=by, superseded=True)
        episode.placement = new_placement(period, placement, episode.started_on, by=by)
    save(episode, by=by, why=f"Episode amended on its first day by {actor(by)}")
    if placement is not None:
        refresh_visit_due(period, by=by)
    return episode

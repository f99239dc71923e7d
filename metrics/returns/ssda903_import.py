"""Load an authority's SSDA903 return (CSV files) through the care services, for onboarding.

Each child is loaded in its own savepoint, in date order: identity (Header), the period of
care from its first episode (RNE S, ``care_start``), each later episode as the change it
records (``care_change``: legal status, placement, same carer for T and U), reviews and
missing episodes while the child is looked after, UASC, previous permanence and motherhood,
then the end of care (REC); care leavers (OC3) through ``care_leaver_start`` and a contact on
the birthday. Adoption (PlacedAdoption, AD1) goes through ``care.adoption`` in date order
among the episodes (``_AdoptionSteps``): the decision, the placement order on the first E1
episode, the match, the move to the adopters as the first adoptive placement (A3-A6) and
the adoption order as the end of care (E11, E12), or the decision's reversal. A child the
services refuse (or whose rows disagree: an RNE that is not the change the rows show, a date
the services refuse, AD1 and PlacedAdoption giving different decision dates, an adoption
without an adoptive placement) is refused whole, with the reason, and the import goes on
with the next.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.db import transaction

from care import adoption, codes, leavers
from care.codes import LegalStatus, ReasonCeased
from care.models import CareLeaver
from care.services.changes import care_change
from care.services.ending import care_end
from care.services.entry import care_start
from care.services.missing import missing_record
from care.services.placements import PlacementDetails
from care.services.reviews_visits import care_review_record
from care.services.uasc import uasc_set
from casework.errors import DomainError
from casework.models import Child
from casework.services.children import child_create
from metrics.returns.importer import import_user
from metrics.returns.records import GENDER_FROM_CENSUS
from metrics.returns.ssda903 import FILE_NAMES

IMPORTED_FIRST_NAME = "Imported"  # the return carries no names


@dataclass
class ImportResult:
    loaded: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (CHILD, reason)


def _date(text: str) -> date | None:
    if not text:
        return None
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def read_tables(directory) -> dict[str, dict[str, list[dict]]]:
    """{table: {CHILD: [rows]}} for every file of the return present in ``directory``."""
    tables = {}
    for table, name in FILE_NAMES.items():
        path = Path(directory) / name
        if not path.exists():
            continue
        with path.open(newline="", encoding="utf-8-sig") as fh:
            per_child = defaultdict(list)
            for row in csv.DictReader(fh):
                per_child[(row.get("CHILD") or "").strip()].append(
                    {k: (v or "").strip().upper() for k, v in row.items() if k}
                )
            tables[table] = per_child
    return tables


def import_return(directory, *, year: int | None = None) -> ImportResult:
    tables = read_tables(directory)
    year = year or infer_year(tables)
    by = import_user()
    result = ImportResult()
    ids = sorted(tables.get("Header", {}))
    for la_id in ids:
        rows = {t: per_child.get(la_id, []) for t, per_child in tables.items()}
        try:
            with transaction.atomic():
                _load(by, la_id, rows, year)
        except (DomainError, ValueError, KeyError) as exc:
            reason = getattr(exc, "message", None) or str(exc)
            result.refused.append((la_id, reason))
        else:
            result.loaded.append(la_id)
    return result


class Refused(ValueError):
    pass


def _load(by, la_id: str, rows: dict, year: int) -> None:
    if Child.objects.filter(la_child_id=la_id).exists():
        raise Refused("a child with this LA child ID is already held")
    header = rows["Header"][0]
    child = child_create(
        by=by, la_child_id=la_id, first_name=IMPORTED_FIRST_NAME, last_name=la_id,
        sex=GENDER_FROM_CENSUS.get(header["SEX"], header["SEX"]),
        date_of_birth=_date(header["DOB"]), ethnicity=header["ETHNIC"],
        upn=header["UPN"] if len(header["UPN"]) == 13 else "",
        upn_unknown_reason=header["UPN"] if len(header["UPN"]) != 13 else "",
    )  # fmt: skip
    episodes = sorted(rows.get("Episodes", []), key=lambda r: _date(r["DECOM"]))
    steps = _AdoptionSteps(by, rows)
    if not episodes and steps.pending:
        raise Refused("adoption rows without episodes: the child was not looked after")
    period = _episodes(by, child, episodes, steps) if episodes else None
    if period is not None:
        _period_details(by, period, header, rows)
        last = episodes[-1]
        if last["DEC"] and last["REC"] != ReasonCeased.X1:
            ended_on = _date(last["DEC"])
            steps.until(period, ended_on)
            if last["REC"] in codes.ADOPTED:
                steps.adopted(ended_on, consent_dispensed=last["REC"] == ReasonCeased.E12)
            else:
                care_end(period=period, by=by, ended_on=ended_on,
                                  reason_ceased=last["REC"])  # fmt: skip
        steps.until(period, None)
        steps.check_done()
    for row in rows.get("OC3", []):
        _oc3(by, child, row, year)


def _placement(row) -> PlacementDetails:
    return PlacementDetails(place=row["PLACE"], provider=row["PLACE_PROVIDER"],
                            postcode=row["PL_POST"], urn=row["URN"])  # fmt: skip


def _episodes(by, child, episodes, steps: _AdoptionSteps):
    first = episodes[0]
    if first["RNE"] != "S":
        raise Refused("the first episode of the return is not the start of care (RNE S): "
                      "the earlier episodes are needed")  # fmt: skip
    period = care_start(
        child=child, by=by, started_on=_date(first["DECOM"]), legal_status=first["LS"],
        category_of_need=first["CIN"], placement=_placement(first),
        home_postcode=first["HOME_POST"],
    )  # fmt: skip
    steps.until(period, _date(first["DECOM"]))
    steps.placement_order_if(period, first)
    for before, row in zip(episodes, episodes[1:], strict=False):
        if before["REC"] != ReasonCeased.X1 or before["DEC"] != row["DECOM"]:
            raise Refused(f"the episode from {before['DECOM']} does not end X1 on the day "
                          f"the next starts ({row['DECOM']}): one period of care per "
                          "return")  # fmt: skip
        changed_on = _date(row["DECOM"])
        steps.until(period, changed_on, same_day_reversals=False)
        # A placement change is what the rows show, whatever the RNE says (checked below).
        placed = row["RNE"] in ("P", "T", "B", "U") or any(
            row[f] != before[f] for f in ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN")
        )
        if placed and steps.moves_in(row):
            episode = steps.placed(changed_on, row, before)
        else:
            episode = care_change(
                period=period, by=by, changed_on=changed_on,
                legal_status=row["LS"] if row["LS"] != before["LS"] else "",
                placement=_placement(row) if placed else None,
                same_carer=row["RNE"] in ("T", "U"),
                reason_place_change=before["REASON_PLACE_CHANGE"] if placed else "",
            )  # fmt: skip
        steps.placement_order_if(period, row)
        steps.until(period, changed_on)
        if episode.reason_new_episode != row["RNE"]:
            raise Refused(f"the episode from {row['DECOM']} says RNE {row['RNE']} but records "
                          f"a change of type {episode.reason_new_episode}")  # fmt: skip
    return period


class _AdoptionSteps:
    """The child's adoption rows as the adoption services' steps, taken in date order as the
    episodes are loaded: ``until`` takes the decisions, matches and reversals dated on or
    before a day; the episodes call the placement order, the move and the order."""

    def __init__(self, by, rows: dict):
        self.by = by
        self.plan = None
        self.placement_ordered = False
        ad1 = rows.get("AD1", [])
        placed = sorted(rows.get("PlacedAdoption", []), key=lambda r: _date(r["DATE_PLACED"]))
        if len(ad1) > 1:
            raise Refused("more than one AD1 row: a child is adopted once")
        self.ad1 = ad1[0] if ad1 else None
        if self.ad1 and self.ad1["DATE_INT"] not in {r["DATE_PLACED"] for r in placed}:
            raise Refused(f"AD1 says the decision to place for adoption was {self.ad1['DATE_INT']}"
                          " but no PlacedAdoption row has that date")  # fmt: skip
        # (day, order within the day, action): decisions first, reversals last.
        self.pending = []
        for r in placed:
            self.pending.append((_date(r["DATE_PLACED"]), 0, "decide", r))
            if r["DATE_PLACED_CEASED"]:
                self.pending.append((_date(r["DATE_PLACED_CEASED"]), 2, "reverse", r))
        if self.ad1 and self.ad1["DATE_MATCH"]:
            self.pending.append((_date(self.ad1["DATE_MATCH"]), 1, "match", self.ad1))
        self.pending.sort(key=lambda step: (step[0], step[1]))

    def until(self, period, day, *, same_day_reversals: bool = True) -> None:
        """Take every step dated on or before ``day`` (all of them when None). A reversal on
        the day an episode starts is taken after it: the episode already shows its change
        of legal status."""
        while self.pending and (day is None or self.pending[0][0] < day or (
            self.pending[0][0] == day and (same_day_reversals or self.pending[0][1] < 2)
        )):  # fmt: skip
            on, _, action, row = self.pending.pop(0)
            if action == "decide":
                self.plan = adoption.adoption_decide(period=period, by=self.by, decided_on=on)
                self.placement_ordered = False
            elif action == "reverse":
                self.plan = adoption.adoption_reverse(
                    plan=self._plan("reversal"), by=self.by, reversed_on=on,
                    reason=row["REASON_PLACED_CEASED"],
                )  # fmt: skip
            else:
                self.plan = adoption.adoption_match(
                    plan=self._plan("match"), by=self.by, matched_on=on,
                    adopters_number=int(row["NB_ADOPTR"] or 0), adopters_sex=row["SEX_ADOPTR"],
                    adopters_legal_status=row["LS_ADOPTR"],
                    with_foster_carer=row["FOSTER_CARE"] == "1",
                )  # fmt: skip

    def _plan(self, step: str):
        if self.plan is None:
            raise Refused(f"an adoption {step} without a decision to place for adoption")
        return self.plan

    def placement_order_if(self, period, row) -> None:
        """The first placement order (E1) episode under a decision is its placement order."""
        if row["LS"] == LegalStatus.E1 and self.plan is not None and not self.placement_ordered:
            self.plan = adoption.adoption_placement_order(
                plan=self.plan, by=self.by, ordered_on=_date(row["DECOM"])
            )
            self.placement_ordered = True

    def moves_in(self, row) -> bool:
        """The move to the adopters of a child adopted in the year (AD1 gives the match)."""
        return (self.ad1 is not None and row["PLACE"] in codes.ADOPTION_PLACEMENTS
                and self.plan is not None and self.plan.placed_on is None)  # fmt: skip

    def placed(self, on, row, before):
        if before["REASON_PLACE_CHANGE"] != "CARPL" or row["LS"] != before["LS"]:
            raise Refused(f"the move to the adopters on {row['DECOM']} must change the placement "
                          "only, for the care plan (CARPL)")  # fmt: skip
        self.plan = adoption.adoption_place(plan=self._plan("placement"), by=self.by,
                                            placed_on=on, placement=_placement(row))  # fmt: skip
        return self.plan.period.current_episode()

    def adopted(self, on, *, consent_dispensed: bool) -> None:
        if self.plan is None or self.plan.placed_on is None:
            raise Refused("the child was adopted (E11, E12) without an adoptive placement "
                          "(A3 to A6) after a match in the return")  # fmt: skip
        self.plan = adoption.adoption_order(plan=self.plan, by=self.by, ordered_on=on,
                                            consent_dispensed=consent_dispensed)  # fmt: skip

    def check_done(self) -> None:
        if self.ad1 is not None and (self.plan is None or self.plan.adopted_on is None):
            raise Refused("AD1 says the child was adopted but the episodes do not end E11 or E12")


def _period_details(by, period, header, rows) -> None:
    for r in sorted(rows.get("Reviews", []), key=lambda r: _date(r["REVIEW"])):
        care_review_record(period=period, by=by, held_on=_date(r["REVIEW"]),
                                    participation=r["REVIEW_CODE"])  # fmt: skip
    for m in sorted(rows.get("Missing", []), key=lambda r: _date(r["MIS_START"])):
        missing_record(period=period, by=by, kind=m["MISSING"],
                                started_on=_date(m["MIS_START"]),
                                ended_on=_date(m["MIS_END"]))  # fmt: skip
    for u in rows.get("UASC", []):
        uasc_set(period=period, by=by, uasc=True, ceased_on=_date(u["DUC"]))
    for p in rows.get("PrevPerm", []):
        if p["PREV_PERM"]:
            adoption.previous_permanence_set(
                period=period,
                by=by,
                kind=p["PREV_PERM"],
                la=p["LA_PERM"],
                made_on=_date(p["DATE_PERM"]),
            )
    if header["MOTHER"] in ("0", "1"):
        adoption.motherhood_set(period=period, by=by, is_mother=header["MOTHER"] == "1",
                                first_child_born_on=_date(header["MC_DOB"]))  # fmt: skip


def _oc3(by, child, row, year: int) -> None:
    born = child.date_of_birth
    start, end = date(year - 1, 4, 1), date(year, 3, 31)
    # The contact is dated on the birthday in the return's year the row reports on.
    on = next((b for a in leavers.OC3_AGES
               if start <= (b := born + relativedelta(years=a)) <= end), None)  # fmt: skip
    if on is None:
        raise Refused(f"the care leaver has no 17th-21st birthday in the {year} return's year")
    leaver = CareLeaver.objects.current().filter(child=child).first()
    if leaver is None:
        leaver = leavers.care_leaver_start(child=child, by=by, on=on)
    activity = "" if row["ACTIV"] == "0" and row["IN_TOUCH"] != "YES" else row["ACTIV"]
    accom = "" if row["ACCOM"] == "0" and row["IN_TOUCH"] != "YES" else row["ACCOM"]
    leavers.leaver_contact_record(leaver=leaver, by=by, contacted_on=on,
                                  in_touch=row["IN_TOUCH"], activity=activity,
                                  accommodation=accom)  # fmt: skip


def infer_year(tables) -> int:
    """The return's year: the one ending on the 31 March on or after its latest date."""
    days = [
        _date(row.get(col, ""))
        for table in ("Episodes", "Reviews", "Missing")
        for rows in tables.get(table, {}).values() for row in rows
        for col in ("DECOM", "DEC", "REVIEW", "MIS_START", "MIS_END") if row.get(col)
    ]  # fmt: skip
    if not days:
        raise Refused("the return has no dated rows (Episodes, Reviews, Missing)")
    latest = max(days)
    return latest.year + 1 if latest.month >= 4 else latest.year

"""Load an authority's SSDA903 return (CSV files) through the care services, for onboarding.

Each child is loaded in its own savepoint, in date order: identity (Header), the period of
care from its first episode (RNE S, ``care_start``), each later episode as the change it
records (``care_change``: legal status, placement, same carer for T and U), reviews and
missing episodes while the child is looked after, UASC, previous permanence and motherhood,
then the end of care (REC); care leavers (OC3) through ``care_leaver_start`` and a contact on
the birthday. A child the services refuse (or whose rows disagree: an RNE that is not the
change the rows show, a date the services refuse) is refused whole, with the reason, and the
import goes on with the next. Adoption tables (AD1, PlacedAdoption) are not loaded: a child
with rows in them is refused with that reason, to be entered on the adoption pages.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.db import transaction

from care import adoption, leavers, services
from care.models import CareLeaver
from care.services import PlacementDetails
from casework.errors import DomainError
from casework.models import Child
from casework.services.children import child_create
from metrics.returns.importer import import_user
from metrics.returns.records import GENDER_FROM_CENSUS
from metrics.returns.ssda903 import FILE_NAMES

IMPORTED_FIRST_NAME = "Imported"  # the return carries no names
NOT_LOADED = ("AD1", "PlacedAdoption")


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
    if any(rows.get(t) for t in NOT_LOADED):
        raise Refused("adoption rows (AD1, PlacedAdoption) are not imported: enter the "
                      "adoption plan on the child's adoption page")  # fmt: skip
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
    period = _episodes(by, child, episodes) if episodes else None
    if period is not None:
        _period_details(by, period, header, rows)
        last = episodes[-1]
        if last["DEC"] and last["REC"] != "X1":
            services.care_end(period=period, by=by, ended_on=_date(last["DEC"]),
                              reason_ceased=last["REC"])  # fmt: skip
    for row in rows.get("OC3", []):
        _oc3(by, child, row, year)


def _placement(row) -> PlacementDetails:
    return PlacementDetails(place=row["PLACE"], provider=row["PLACE_PROVIDER"],
                            postcode=row["PL_POST"], urn=row["URN"])  # fmt: skip


def _episodes(by, child, episodes):
    first = episodes[0]
    if first["RNE"] != "S":
        raise Refused("the first episode of the return is not the start of care (RNE S): "
                      "the earlier episodes are needed")  # fmt: skip
    period = services.care_start(
        child=child, by=by, started_on=_date(first["DECOM"]), legal_status=first["LS"],
        category_of_need=first["CIN"], placement=_placement(first),
        home_postcode=first["HOME_POST"],
    )  # fmt: skip
    for before, row in zip(episodes, episodes[1:], strict=False):
        if before["REC"] != "X1" or before["DEC"] != row["DECOM"]:
            raise Refused(f"the episode from {before['DECOM']} does not end X1 on the day "
                          f"the next starts ({row['DECOM']}): one period of care per "
                          "return")  # fmt: skip
        # A placement change is what the rows show, whatever the RNE says (checked below).
        placed = row["RNE"] in ("P", "T", "B", "U") or any(
            row[f] != before[f] for f in ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN")
        )
        episode = services.care_change(
            period=period, by=by, changed_on=_date(row["DECOM"]),
            legal_status=row["LS"] if row["LS"] != before["LS"] else "",
            placement=_placement(row) if placed else None,
            same_carer=row["RNE"] in ("T", "U"),
            reason_place_change=before["REASON_PLACE_CHANGE"] if placed else "",
        )  # fmt: skip
        if episode.reason_new_episode != row["RNE"]:
            raise Refused(f"the episode from {row['DECOM']} says RNE {row['RNE']} but records "
                          f"a change of type {episode.reason_new_episode}")  # fmt: skip
    return period


def _period_details(by, period, header, rows) -> None:
    for r in sorted(rows.get("Reviews", []), key=lambda r: _date(r["REVIEW"])):
        services.care_review_record(period=period, by=by, held_on=_date(r["REVIEW"]),
                                    participation=r["REVIEW_CODE"])  # fmt: skip
    for m in sorted(rows.get("Missing", []), key=lambda r: _date(r["MIS_START"])):
        services.missing_record(period=period, by=by, kind=m["MISSING"],
                                started_on=_date(m["MIS_START"]),
                                ended_on=_date(m["MIS_END"]))  # fmt: skip
    for u in rows.get("UASC", []):
        services.uasc_set(period=period, by=by, uasc=True, ceased_on=_date(u["DUC"]))
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

"""The SSDA903 return (children looked after): its tables as rows, each as at its own rule.

Columns are exactly the tables of the DfE-community validator (``csc-validator-be-903``,
``lac_validator.config.column_names``); dates are dd/mm/yyyy and codes are the stored ones
(``care.codes``), so a table is a projection of the care records. Who is in which table
(care.md section 1):

Header, Episodes, Reviews  every child looked after at any time in the year (1 April to 31
                           March), short breaks included; episodes and reviews in the year,
                           an episode still open on 31 March without its end.
UASC                       those children while they had UASC status.
Missing                    their missing and away episodes that started in the year.
OC2                        children looked after continuously for 12 months or more at 31
                           March (no new period, no period end, no short breaks in the year).
OC3                        care leavers with a 17th-21st birthday in the year, not still
                           looked after on it, the contact recorded for that birthday or
                           "not in touch" (metrics.kpis.oc3: the KPIs count the same rows).
AD1                        children adopted in the year (the period ended E11 or E12).
PlacedAdoption             children in the return with a decision that they should be placed
                           for adoption that stood at some time in the year.
PrevPerm                   children who started to be looked after in the year.
SWEpisodes                 from the 2024 return: children looked after on 31 March, their
                           social workers over the whole year (ssda903_social_workers).

Each table is built with a fixed number of queries, whatever the size of the authority.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from care import codes
from care.models import (
    AdoptionPlan,
    CareEpisode,
    CarePeriod,
    CareReview,
    HealthCheck,
    MissingEpisode,
)
from casework.models import Child
from metrics.kpis import oc3
from metrics.returns import ssda903_social_workers as social_workers
from metrics.returns.records import CensusPeriod as Year  # the same 1 April to 31 March

COLUMNS = {
    "Header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "Episodes": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
    "Reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "UASC": ["CHILD", "SEX", "DOB", "DUC"],
    "OC2": ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
            "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
    "OC3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "AD1": ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
            "LS_ADOPTR"],
    "PlacedAdoption": ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                       "REASON_PLACED_CEASED"],
    "PrevPerm": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "Missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "SWEpisodes": social_workers.COLUMNS,
}  # fmt: skip
# File names the validator recognises by their columns; these are the DfE's usual names.
FILE_NAMES = {
    "Header": "header.csv", "Episodes": "episodes.csv", "Reviews": "reviews.csv",
    "UASC": "uasc.csv", "OC2": "oc2.csv", "OC3": "oc3.csv", "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv", "PrevPerm": "previous_permanence.csv",
    "Missing": "missing.csv", "SWEpisodes": "social_worker_episodes.csv",
}  # fmt: skip
# The return knows UN1-UN5 only; the census's later reasons map onto them: not yet of school
# age and no UPN (UN6), unborn (UN8) are "not of school age" (UN1); a referral with no further
# action (UN7) does not describe a looked-after child, so the UPN is still being sought (UN5).
# A child of school age (4 by the 31 August before the year) cannot be UN1 (rule 209): a
# school-age child without a UPN is one whose UPN the sources have not given (UN5).
# The census's UN4 (moved in from abroad) is the return's UN3 (educated outside England); the
# return's own UN4 (newly looked after) is refused after a week in care (rule 210).
UPN_REASON = {"UN6": "UN1", "UN8": "UN1", "UN7": "UN5", "UN4": "UN3"}


@dataclass
class Return:
    year: int
    tables: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def children(self) -> int:
        return len(self.tables.get("Header", []))


def d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _flag(value: bool) -> str:
    return "1" if value else "0"


def build(year: int) -> Return:
    y = Year(year)
    episodes = list(
        CareEpisode.objects.current()
        .filter(started_on__lte=y.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=y.start))
        .order_by("child_id", "started_on", "pk")
        .values("child_id", "period_id", "started_on", "ended_on", "reason_new_episode",
                "legal_status", "category_of_need", "reason_ceased", "reason_place_change",
                "home_postcode", "placement__place", "placement__provider",
                "placement__postcode", "placement__urn")
    )  # fmt: skip
    oc3 = _oc3(y)
    # The Header holds every child of the return: those looked after and the care leavers.
    ids = sorted({e["child_id"] for e in episodes} | {r["_child"] for r in oc3})
    children = {
        c["pk"]: c
        for c in Child.objects.filter(pk__in=ids).values(
            "pk", "la_child_id", "sex", "date_of_birth", "ethnicity", "upn", "upn_unknown_reason"
        )
    }
    out = Return(year=year)
    # Motherhood is asked only of girls looked after in the year (rule 628).
    mother = _mothers({e["child_id"] for e in episodes}, y)
    out.tables["Header"] = [_header(children[i], mother, y) for i in ids]
    out.tables["UASC"] = _uasc(children, y)
    # An unaccompanied child has no home in England: no home postcode, so no distance (406).
    uasc = {c["CHILD"] for c in out.tables["UASC"]}
    out.tables["Episodes"] = [_episode(children[e["child_id"]], e, y, uasc) for e in episodes]
    out.tables["Reviews"] = _reviews(children, y)
    out.tables["Missing"] = _missing(children, y)
    out.tables["OC2"] = _oc2(children, episodes, y)
    out.tables["OC3"] = [{k: v for k, v in r.items() if k != "_child"} for r in oc3]
    out.tables["AD1"] = _ad1(children, y)
    out.tables["PlacedAdoption"] = _placed_for_adoption(children, y)
    out.tables["PrevPerm"] = _previous_permanence(children, y)
    if y.year >= social_workers.FIRST_YEAR:
        out.tables["SWEpisodes"] = social_workers.rows(children, episodes, y, d)
    return out


def _ident(child) -> dict:
    return {"CHILD": child["la_child_id"], "DOB": d(child["date_of_birth"])}


def _upn(child, y: Year) -> str:
    if child["upn"]:
        return child["upn"]
    reason = child["upn_unknown_reason"]
    reason = UPN_REASON.get(reason, reason)
    school_age_from = date(y.start.year - 1, 8, 31)
    born = child["date_of_birth"]
    if reason == "UN1" and born and born + relativedelta(years=4) <= school_age_from:
        return "UN5"
    return reason


# Until the 2023-24 return sex was coded 1 (male) and 2 (female); from 2024-25 M, F, U.
SEX_BEFORE_2025 = {"M": "1", "F": "2"}


def _sex(child, y: Year) -> str:
    sex = child["sex"]
    return SEX_BEFORE_2025.get(sex, sex) if y.year < 2025 else sex


def _header(child, mother, y: Year) -> dict:
    is_mother, first_born = mother.get(child["pk"], (None, None))
    return {
        "CHILD": child["la_child_id"],
        "SEX": _sex(child, y),
        "DOB": d(child["date_of_birth"]),
        "ETHNIC": child["ethnicity"],
        "UPN": _upn(child, y),
        # Asked of girls only; blank when not yet recorded, which the checks then flag.
        "MOTHER": "" if child["sex"] != "F" or is_mother is None else _flag(is_mother),
        "MC_DOB": d(first_born) if is_mother else "",
    }


def _mothers(ids, y: Year) -> dict:
    """Whether each girl is a mother, from her latest period of care up to the year end."""
    out = {}
    for child_id, is_mother, first_born in (
        CarePeriod.objects.current()
        .filter(child_id__in=ids, started_on__lte=y.end)
        .order_by("child_id", "started_on")
        .values_list("child_id", "is_mother", "first_child_born_on")
    ):
        if is_mother is not None:
            out[child_id] = (is_mother, first_born)
    return out


# Placement types the 2025-26 list renamed: earlier returns use the codes of their year.
PLACE_BEFORE_2026 = {"K3": "H5", "Z11": "Z1", "Z12": "Z1", "Z13": "Z1", "Z14": "Z1"}


def _episode(child, e, y: Year, uasc=frozenset()) -> dict:
    # As at 31 March: an episode that ended after the year is still open in this return.
    ended = e["ended_on"] if e["ended_on"] and e["ended_on"] <= y.end else None
    place = e["placement__place"]
    if y.year < 2026:
        place = PLACE_BEFORE_2026.get(place, place)
    return {
        "CHILD": child["la_child_id"],
        "DECOM": d(e["started_on"]),
        "RNE": e["reason_new_episode"],
        "LS": e["legal_status"],
        "CIN": e["category_of_need"],
        "PLACE": place,
        "PLACE_PROVIDER": e["placement__provider"],
        "DEC": d(ended),
        "REC": e["reason_ceased"] if ended else "",
        "REASON_PLACE_CHANGE": e["reason_place_change"] if ended else "",
        "HOME_POST": "" if child["la_child_id"] in uasc else e["home_postcode"],
        "PL_POST": e["placement__postcode"],
        # A URN is never returned for placements without one (rule 222).
        "URN": "" if place in codes.NO_URN_PLACEMENTS else e["placement__urn"],
    }


def _reviews(children, y: Year) -> list[dict]:
    rows = (
        CareReview.objects.current()
        .filter(child_id__in=children, held_on__range=(y.start, y.end))
        .order_by("child_id", "held_on", "pk")
        .values_list("child_id", "held_on", "participation")
    )
    return [
        {**_ident(children[c]), "REVIEW": d(held), "REVIEW_CODE": code} for c, held, code in rows
    ]


def _uasc(children, y: Year) -> list[dict]:
    rows = (
        CarePeriod.objects.current()
        .filter(child_id__in=children, uasc=True)
        .filter(Q(uasc_ceased_on__isnull=True) | Q(uasc_ceased_on__gte=y.start))
        .order_by("child_id", "-started_on")
        .values_list("child_id", "uasc_ceased_on")
    )
    seen, out = set(), []
    for child_id, ceased in rows:
        if child_id in seen:
            continue
        seen.add(child_id)
        child = children[child_id]
        # UASC status ends at 18 at the latest; the DfE asks for that date once it has passed.
        at_18 = child["date_of_birth"] + relativedelta(years=18)
        duc = ceased or (at_18 if at_18 <= y.end else None)
        if duc is not None and duc < y.start:
            continue  # UASC status ended before the year (rule 104)
        out.append({"CHILD": child["la_child_id"], "SEX": _sex(child, y),
                    "DOB": d(child["date_of_birth"]), "DUC": d(duc)})  # fmt: skip
    return out


def _missing(children, y: Year) -> list[dict]:
    rows = (
        MissingEpisode.objects.current()
        .filter(child_id__in=children, started_on__range=(y.start, y.end))
        .order_by("child_id", "started_on", "pk")
        .values_list("child_id", "kind", "started_on", "ended_on")
    )
    return [
        {**_ident(children[c]), "MISSING": kind, "MIS_START": d(start),
         "MIS_END": d(end if end and end <= y.end else None)}
        for c, kind, start, end in rows
    ]  # fmt: skip


def oc2_children(episodes, y: Year) -> list[int]:
    """Looked after continuously for 12 months at 31 March, as the DfE's rules count it: in
    care during the year, not starting (RNE S after 1 April) nor ceasing (an end other than X1
    before 31 March) in it, never on a short break. A child ceasing on 31 March itself is
    counted, as the validator counts them (rules 186, 191)."""
    per_child = defaultdict(list)
    for e in episodes:
        per_child[e["child_id"]].append(e)
    chosen = []
    for child_id, eps in per_child.items():
        starts = any(e["reason_new_episode"] == "S" and e["started_on"] > y.start for e in eps)
        ceases = any(
            e["ended_on"]
            and e["reason_ceased"] != codes.ReasonCeased.X1
            and y.start <= e["ended_on"] < y.end
            for e in eps
        )
        short_break = any(e["legal_status"] in codes.SHORT_BREAKS for e in eps)
        if not (starts or ceases or short_break):
            chosen.append(child_id)
    return sorted(chosen)


def _oc2(children, episodes, y: Year) -> list[dict]:
    ids = oc2_children(episodes, y)
    checks = defaultdict(set)
    for child_id, kind in (
        HealthCheck.objects.current()
        .filter(child_id__in=ids, done_on__range=(y.start, y.end))
        .values_list("child_id", "kind")
    ):
        checks[child_id].add(kind)
    rows = []
    for child_id in ids:
        child = children[child_id]
        age = relativedelta(y.end, child["date_of_birth"]).years
        done = checks[child_id]
        assessed = bool(done & {"initial", "review"})
        rows.append({
            **_ident(child),
            # Caseflow does not record SDQs: the reason is "other" (SDQ4) for ages 4-17 at
            # 31 March (rule 197B), nothing under 4 (rule 188); convictions from 10 (542).
            "SDQ_SCORE": "",
            "SDQ_REASON": "SDQ4" if 4 <= age <= 17 else "",
            "CONVICTED": "0" if age >= 10 else "",
            "HEALTH_CHECK": _flag(assessed) if age < 5 else "",
            "IMMUNISATIONS": _flag("immunisations" in done or assessed),
            "TEETH_CHECK": _flag("dental" in done),
            "HEALTH_ASSESSMENT": _flag(assessed),
            "SUBSTANCE_MISUSE": "0",
            "INTERVENTION_RECEIVED": "",
            "INTERVENTION_OFFERED": "",
        })  # fmt: skip
    return rows


def _oc3(y: Year) -> list[dict]:
    """The OC3 cohort of the year (``metrics.kpis.oc3``, which the KPIs count too)."""
    rows = (
        oc3.cohort(y.start, y.end)
        .order_by("child_id", "oc3_age")
        .values_list("child_id", "child__la_child_id", "child__date_of_birth", "oc3_in_touch",
                     "oc3_activity", "oc3_accommodation")
    )  # fmt: skip
    return [
        {"_child": pk, "CHILD": la_id, "DOB": d(born), "IN_TOUCH": in_touch,
         # Not in touch: activity and accommodation not known (0, rule 153).
         "ACTIV": activity or "0", "ACCOM": accom or "0"}
        for pk, la_id, born, in_touch, activity, accom in rows
    ]  # fmt: skip


def _plans(children, y: Year):
    return (
        AdoptionPlan.objects.current()
        .filter(child_id__in=children, decided_on__lte=y.end)
        .order_by("child_id", "decided_on", "pk")
    )


def _ad1(children, y: Year) -> list[dict]:
    rows = []
    for p in _plans(children, y).filter(adopted_on__range=(y.start, y.end)):
        rows.append({
            **_ident(children[p.child_id]),
            "DATE_INT": d(p.decided_on),
            "DATE_MATCH": d(p.matched_on),
            "FOSTER_CARE": _flag(p.with_foster_carer),
            "NB_ADOPTR": str(p.adopters_number or ""),
            "SEX_ADOPTR": p.adopters_sex,
            "LS_ADOPTR": p.adopters_legal_status,
        })  # fmt: skip
    return rows


def _placed_for_adoption(children, y: Year) -> list[dict]:
    # Decisions standing at some time in the year; one reversed before it is not returned
    # (rule 118).
    plans = _plans(children, y).filter(Q(reversed_on__isnull=True) | Q(reversed_on__gte=y.start))
    rows = []
    for p in plans:
        reversed_on = p.reversed_on if p.reversed_on and p.reversed_on <= y.end else None
        rows.append({
            **_ident(children[p.child_id]),
            "DATE_PLACED": d(p.decided_on),
            "DATE_PLACED_CEASED": d(reversed_on),
            "REASON_PLACED_CEASED": p.reversal_reason if reversed_on else "",
        })  # fmt: skip
    return rows


def _previous_permanence(children, y: Year) -> list[dict]:
    periods = (
        CarePeriod.objects.current()
        .filter(child_id__in=children, started_on__range=(y.start, y.end))
        .order_by("child_id", "-started_on")
    )
    rows, seen = [], set()
    for p in periods:
        if p.child_id in seen:
            continue
        seen.add(p.child_id)
        rows.append({
            **_ident(children[p.child_id]),
            "PREV_PERM": p.previous_permanence or codes.PreviousPermanence.P4,
            "LA_PERM": p.previous_permanence_la,
            "DATE_PERM": d(p.previous_permanence_on),
        })  # fmt: skip
    return rows


def write(ret: Return, out: Path) -> list[Path]:
    """One CSV per table of the return's year, header row first, even when the table has
    no rows."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, columns in COLUMNS.items():
        if table == "SWEpisodes" and ret.year < social_workers.FIRST_YEAR:
            continue
        path = out / FILE_NAMES[table]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(ret.tables.get(table, []))
        paths.append(path)
    return paths

"""Ofsted's values for Annex A columns: the lettered labels of its template.

Caseflow stores census codes (sex M/F/U, ethnicity WBRI, source 6, category NEG); Ofsted's
spreadsheet asks for its own lettered words ("a) Male", "q) 6: Police", "a) Neglect").
Every translation lives here so a change of either side is one edit.
"""

from __future__ import annotations

from string import ascii_lowercase

from casework.codes import AbuseCategory, ClosureReason, Ethnicity, PrimaryNeed, ReferralSource

NOT_RECORDED = "c) Not stated/recorded"
# Ofsted's letters follow the census order; 5D was added later as "p1".
SOURCE_LETTERS = {
    "1A": "a",
    "1B": "b",
    "1C": "c",
    "1D": "d",
    "2A": "e",
    "2B": "f",
    "3A": "g",
    "3B": "h",
    "3C": "i",
    "3D": "j",
    "3E": "k",
    "3F": "l",
    "4": "m",
    "5A": "n",
    "5B": "o",
    "5C": "p",
    "5D": "p1",
    "6": "q",
    "7": "r",
    "8": "s",
    "9": "t",
    "10": "u",
}
ETHNICITY = {code: f"{ascii_lowercase[i]}) {code}" for i, code in enumerate(Ethnicity.values)}
CATEGORY = {
    AbuseCategory.NEGLECT: "a) Neglect",
    AbuseCategory.PHYSICAL: "b) Physical abuse",
    AbuseCategory.SEXUAL: "c) Sexual abuse",
    AbuseCategory.EMOTIONAL: "d) Emotional abuse",
    AbuseCategory.MULTIPLE: "e) Multiple/not recommended",
}


def gender(sex: str, *, unborn: bool) -> str:
    """Ofsted's Gender from the census sex code (M/F/U), as at the as-of date.

    The one place the child's sex is read for Annex A: when the Child model's sex field
    changes, only this function follows. A child not yet born at the as-of date has no
    recorded gender then. "d) Neither" is a local choice Caseflow does not record.
    """
    if unborn:
        return NOT_RECORDED
    return {"M": "a) Male", "F": "b) Female"}.get(sex, NOT_RECORDED)


def ethnicity(code: str) -> str:
    return ETHNICITY.get(code, ETHNICITY["NOBT"])


def disability(codes: list | None) -> str:
    """Yes when any census disability is recorded, No for ["NONE"], Unknown when blank."""
    codes = [c for c in (codes or []) if c]
    if not codes:
        return "c) Unknown"
    return "b) No" if codes == ["NONE"] else "a) Yes"


def source(code: str) -> str:
    if code not in SOURCE_LETTERS:
        return ""
    return f"{SOURCE_LETTERS[code]}) {code}: {ReferralSource(code).label}"


def lettered_yes_no(value) -> str:
    if value is None:
        return ""
    return "a) Yes" if value else "b) No"


def seen_alone(value) -> str:
    return "c) Unknown" if value is None else lettered_yes_no(value)


def primary_need(code: str) -> str:
    return f"{code} - {PrimaryNeed(code).label}" if code in PrimaryNeed.values else ""


def closure_reason(code: str) -> str:
    return f"{code} - {ClosureReason(code).label}" if code in ClosureReason.values else ""


def category(code: str) -> str:
    return CATEGORY.get(code, "")


CASE_STATUS_CP = "b) Child Protection plan"
CASE_STATUS_CIN = "c) Child in need plan"
CASE_STATUS_ASSESSMENT = "d) Open assessment"
CASE_STATUS_CLOSED = "e) Closed episode"

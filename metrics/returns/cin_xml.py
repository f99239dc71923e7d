"""Write and read the CIN census XML.

Writing streams with ``lxml.etree.xmlfile``: one ``Child`` element is built, written and freed
at a time, so a large authority never holds the whole document in memory.

Element names and order follow the DfE CIN census specification (2024 to 2025) as far as it is
known here; ``cin_census.xsd`` beside this module is Caseflow's rendering of that structure
(the official XSD is not available to this build: see its header comment).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from metrics.returns.records import (
    FIRST_SEX_YEAR,
    GENDER_FROM_CENSUS,
    GENDER_TO_CENSUS,
    SEXES,
    AssessmentRecord,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
)

SCHEMA_PATH = Path(__file__).with_name("cin_census.xsd")
SOFTWARE_CODE = "Caseflow"
RELEASE = "1.0"


@dataclass(frozen=True)
class Header:
    year: int
    la_code: str
    generated_at: datetime
    serial_no: str = "001"

    @property
    def reference_date(self) -> date:
        return date(self.year, 3, 31)


def _d(value: date) -> str:
    return value.isoformat()


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _sub(parent, tag: str, text: str | None):
    if text not in (None, ""):
        etree.SubElement(parent, tag).text = text


def header_element(header: Header):
    root = etree.Element("Header")
    details = etree.SubElement(root, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(header.year))
    _sub(details, "ReferenceDate", _d(header.reference_date))
    source = etree.SubElement(root, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", header.la_code)
    _sub(source, "SoftwareCode", SOFTWARE_CODE)
    _sub(source, "Release", RELEASE)
    _sub(source, "SerialNo", header.serial_no)
    _sub(source, "DateTime", header.generated_at.strftime("%Y-%m-%dT%H:%M:%S"))
    return root


def child_element(child: ChildRecord, year: int = FIRST_SEX_YEAR):
    root = etree.Element("Child")
    ids = etree.SubElement(root, "ChildIdentifiers")
    _sub(ids, "LAchildID", child.la_child_id)
    _sub(ids, "UPN", child.upn)
    _sub(ids, "UPNunknown", None if child.upn else child.upn_unknown_reason)
    _sub(ids, "PersonBirthDate", child.date_of_birth and _d(child.date_of_birth))
    if child.date_of_birth is None and child.expected_date_of_birth:
        _sub(ids, "ExpectedPersonBirthDate", _d(child.expected_date_of_birth))
    if year >= FIRST_SEX_YEAR:
        _sub(ids, "Sex", child.sex)
    else:
        _sub(ids, "GenderCurrent", GENDER_TO_CENSUS.get(child.sex, "0"))
    _sub(ids, "PersonDeathDate", child.date_of_death and _d(child.date_of_death))
    chars = etree.SubElement(root, "ChildCharacteristics")
    _sub(chars, "Ethnicity", child.ethnicity)
    if child.disabilities:
        disabilities = etree.SubElement(chars, "Disabilities")
        for code in child.disabilities:
            _sub(disabilities, "Disability", code)
    for episode in child.episodes:
        root.append(_episode_element(episode))
    return root


def _episode_element(ep: EpisodeRecord):
    el = etree.Element("CINdetails")
    _sub(el, "CINreferralDate", _d(ep.referred_on))
    _sub(el, "ReferralSource", ep.source)
    _sub(el, "PrimaryNeedCode", ep.primary_need)
    _sub(el, "CINclosureDate", ep.closed_on and _d(ep.closed_on))
    _sub(el, "ReasonForClosure", ep.closure_reason)
    _sub(el, "DateOfInitialCPC", ep.icpc_on and _d(ep.icpc_on))
    _sub(el, "ReferralNFA", _bool(ep.nfa))
    for a in ep.assessments:
        ass = etree.SubElement(el, "Assessments")
        _sub(ass, "AssessmentActualStartDate", _d(a.started_on))
        _sub(ass, "AssessmentAuthorisationDate", a.authorised_on and _d(a.authorised_on))
        if a.factors:
            factors = etree.SubElement(ass, "FactorsIdentifiedAtAssessment")
            for code in a.factors:
                _sub(factors, "AssessmentFactors", code)
    for p in ep.cin_plans:
        plan = etree.SubElement(el, "CINPlanDates")
        _sub(plan, "CINPlanStartDate", _d(p.started_on))
        _sub(plan, "CINPlanEndDate", p.ended_on and _d(p.ended_on))
    for s in ep.s47s:
        s47 = etree.SubElement(el, "Section47")
        _sub(s47, "S47ActualStartDate", _d(s.started_on))
        _sub(s47, "InitialCPCtarget", s.icpc_target_on and _d(s.icpc_target_on))
        _sub(s47, "DateOfInitialCPC", s.icpc_on and _d(s.icpc_on))
        _sub(s47, "ICPCnotRequired", _bool(s.icpc_not_required))
    for p in ep.cp_plans:
        plan = etree.SubElement(el, "ChildProtectionPlans")
        _sub(plan, "CPPstartDate", _d(p.started_on))
        _sub(plan, "CPPendDate", p.ended_on and _d(p.ended_on))
        _sub(plan, "InitialCategoryOfAbuse", p.initial_category)
        _sub(plan, "LatestCategoryOfAbuse", p.latest_category)
        _sub(plan, "NumberOfPreviousCPP", str(p.previous_plans))
        if p.reviews:
            reviews = etree.SubElement(plan, "Reviews")
            for day in p.reviews:
                _sub(reviews, "CPPreviewDate", _d(day))
    return el


def write_census(out, header: Header, children: Iterable[ChildRecord]) -> int:
    """Stream the return to ``out`` (a path or binary file); returns the number of children."""
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write("\n")
            xf.write(header_element(header), pretty_print=True)
            with xf.element("Children"):
                xf.write("\n")
                for child in children:
                    xf.write(child_element(child, header.year), pretty_print=True)
                    count += 1
            xf.write("\n")
    return count


# -- validation -------------------------------------------------------------------------------

_schema: etree.XMLSchema | None = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    return _schema


def schema_errors(path) -> list[str]:
    """Validate a whole file against ``cin_census.xsd``; messages with line numbers."""
    doc = etree.parse(str(path), etree.XMLParser(huge_tree=True, resolve_entities=False))
    validator = schema()
    if validator.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]


# -- reading ----------------------------------------------------------------------------------


class CensusFormatError(ValueError):
    """The file is not well-formed XML or not a CIN census message."""


def _text(el, tag: str) -> str:
    # A module another system left out (el None) reads as empty, never as a crash.
    found = el.find(tag) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def _date(el, tag: str) -> date | None:
    text = _text(el, tag)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise CensusFormatError(f"{tag}: {text!r} is not a date (YYYY-MM-DD)") from exc


def _truthy(text: str) -> bool:
    return text.strip().lower() in {"1", "true"}


def read_header(path) -> dict:
    for _event, el in etree.iterparse(str(path), tag="Header", huge_tree=True):
        return {
            "collection": _text(el, "CollectionDetails/Collection"),
            "year": _text(el, "CollectionDetails/Year"),
            "reference_date": _text(el, "CollectionDetails/ReferenceDate"),
            "la_code": _text(el, "Source/LEA"),
        }
    return {}


def child_from_element(el) -> ChildRecord:
    """Parse one (schema-valid) ``Child`` element."""
    ids = el.find("ChildIdentifiers")
    chars = el.find("ChildCharacteristics")
    return ChildRecord(
        la_child_id=_text(ids, "LAchildID"),
        sex=_sex(ids),
        date_of_birth=_date(ids, "PersonBirthDate"),
        expected_date_of_birth=_date(ids, "ExpectedPersonBirthDate"),
        date_of_death=_date(ids, "PersonDeathDate"),
        upn=_text(ids, "UPN"),
        upn_unknown_reason=_text(ids, "UPNunknown"),
        ethnicity=_text(chars, "Ethnicity"),
        disabilities=[
            (d.text or "").strip()
            for d in (chars.iterfind("Disabilities/Disability") if chars is not None else [])
        ],
        episodes=[_episode_from(e) for e in el.iterfind("CINdetails")],
    )


def _sex(ids) -> str:
    sex = _text(ids, "Sex").upper()
    if sex in SEXES:
        return sex
    return GENDER_FROM_CENSUS.get(_text(ids, "GenderCurrent"), "U")


def _episode_from(el) -> EpisodeRecord:
    return EpisodeRecord(
        referred_on=_date(el, "CINreferralDate"),
        source=_text(el, "ReferralSource"),
        nfa=_truthy(_text(el, "ReferralNFA")),
        primary_need=_text(el, "PrimaryNeedCode"),
        closed_on=_date(el, "CINclosureDate"),
        closure_reason=_text(el, "ReasonForClosure"),
        icpc_on=_date(el, "DateOfInitialCPC"),
        assessments=[
            AssessmentRecord(
                started_on=_date(a, "AssessmentActualStartDate"),
                authorised_on=_date(a, "AssessmentAuthorisationDate"),
                factors=[
                    (f.text or "").strip()
                    for f in a.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")
                ],
            )
            for a in el.iterfind("Assessments")
        ],
        cin_plans=[
            CINPlanRecord(
                started_on=_date(p, "CINPlanStartDate"), ended_on=_date(p, "CINPlanEndDate")
            )
            for p in el.iterfind("CINPlanDates")
        ],
        s47s=[
            Section47Record(
                started_on=_date(s, "S47ActualStartDate"),
                icpc_target_on=_date(s, "InitialCPCtarget"),
                icpc_on=_date(s, "DateOfInitialCPC"),
                icpc_not_required=_truthy(_text(s, "ICPCnotRequired")),
            )
            for s in el.iterfind("Section47")
        ],
        cp_plans=[
            CPPlanRecord(
                started_on=_date(p, "CPPstartDate"),
                ended_on=_date(p, "CPPendDate"),
                initial_category=_text(p, "InitialCategoryOfAbuse"),
                latest_category=_text(p, "LatestCategoryOfAbuse"),
                previous_plans=int(_text(p, "NumberOfPreviousCPP") or 0),
                reviews=[
                    _date(r, ".") for r in p.iterfind("Reviews/CPPreviewDate") if _text(r, ".")
                ],
            )
            for p in el.iterfind("ChildProtectionPlans")
        ],
    )


def check_well_formed(path) -> None:
    """Raise ``CensusFormatError`` naming the line if the file is not well-formed XML."""
    try:
        root_tag = None
        for event, el in etree.iterparse(str(path), events=("start", "end"), huge_tree=True):
            if root_tag is None:
                root_tag = el.tag
            if event == "end" and el.tag == "Child":
                el.clear()
    except etree.XMLSyntaxError as exc:
        raise CensusFormatError(f"{path}: not well-formed XML: {exc}") from exc
    except OSError as exc:
        raise CensusFormatError(f"{path}: cannot be read: {exc}") from exc
    if root_tag != "Message":
        raise CensusFormatError(
            f"{path}: root element is <{root_tag}>, expected <Message>: not a CIN census file"
        )
    header = read_header(path)
    if header.get("collection", "").upper() != "CIN" or not header.get("year", "").isdigit():
        raise CensusFormatError(
            f"{path}: the header does not name a CIN census collection and year "
            "(Header/CollectionDetails/Collection CIN, Year YYYY): not a CIN census file"
        )


def without_namespaces(path, scratch_dir) -> Path:
    """A namespaced census (another system's ``<Message xmlns=...>``) as the plain file the
    reader, the schema and the DfE validator expect; a plain file is returned as it is."""
    for _event, el in etree.iterparse(str(path), events=("start",), huge_tree=True):
        if etree.QName(el).namespace is None:
            return Path(path)
        break
    tree = etree.parse(str(path), etree.XMLParser(huge_tree=True, resolve_entities=False))
    for el in tree.getroot().iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    etree.cleanup_namespaces(tree.getroot())
    plain = Path(scratch_dir) / Path(path).name
    tree.write(str(plain), encoding="UTF-8", xml_declaration=True)
    return plain


def iter_child_elements(path):
    """Yield (header element, child element) pairs, freeing each child after use."""
    header = None
    for _event, el in etree.iterparse(str(path), tag=("Header", "Child"), huge_tree=True):
        if el.tag == "Header":
            header = el
            continue
        yield header, el
        el.clear()
        parent = el.getparent()
        while el.getprevious() is not None and parent is not None:
            del parent[0]


def child_schema_errors(header, child_el) -> list[str]:
    """Validate one child by wrapping it in a message of its own."""
    message = etree.Element("Message")
    if header is not None:
        message.append(_copy(header))
    etree.SubElement(message, "Children").append(_copy(child_el))
    validator = schema()
    if validator.validate(message):
        return []
    return [e.message for e in validator.error_log]


def _copy(el):
    return etree.fromstring(etree.tostring(el))

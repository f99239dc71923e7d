"""SSDA903 code lists (children looked after return; care.md section 2).

Stored values are the return's codes, so the SSDA903 tables come straight from the rows.
"""

from django.db import models


class LegalStatus(models.TextChoices):
    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    V2 = "V2", "Single period of accommodation under section 20"
    V3 = "V3", "Accommodated under an agreed series of short-term breaks (episodes recorded)"
    V4 = "V4", "Accommodated under an agreed series of short-term breaks (agreements recorded)"
    L1 = "L1", "Under police protection"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Child assessment order"
    J1 = "J1", "Remanded to LA accommodation or youth detention"
    J2 = "J2", "Accommodated under PACE"
    J3 = "J3", "Youth rehabilitation order with residence or fostering requirement"


SHORT_BREAKS = ("V3", "V4")
YOUTH_JUSTICE = ("J1", "J2", "J3")


class NewEpisodeReason(models.TextChoices):
    S = "S", "Started to be looked after"
    L = "L", "Change of legal status only"
    P = "P", "Change of placement and carer"
    T = "T", "Change of placement only, same carer"
    B = "B", "Change of legal status and placement and carer"
    U = "U", "Change of legal status and placement, same carer"


class CategoryOfNeed(models.TextChoices):
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental illness or disability"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"


class PlacementType(models.TextChoices):
    A3 = "A3", "Placed for adoption with consent, with current foster carer"
    A4 = "A4", "Placed for adoption with consent, not with current foster carer"
    A5 = "A5", "Placed for adoption under a placement order, with current foster carer"
    A6 = "A6", "Placed for adoption under a placement order, not with current foster carer"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home"
    K3 = "K3", "Registered supported accommodation (16+)"
    P1 = "P1", "With parent or other person with parental responsibility"
    P3 = "P3", "Residential employment (14+)"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS or health trust"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution"
    S1 = "S1", "Residential school"
    T0 = "T0", "Temporary move"
    T1 = "T1", "Temporary: hospital (up to 6 weeks)"
    T2 = "T2", "Temporary: child's holiday"
    T3 = "T3", "Temporary: foster carer's holiday (up to 3 weeks)"
    T4 = "T4", "Temporary: other (up to 7 days)"
    U1 = "U1", "Foster placement with relative or friend: long term"
    U2 = "U2", "Foster placement with relative or friend: fostering for adoption or concurrent"
    U3 = "U3", "Foster placement with relative or friend: other"
    U4 = "U4", "Foster placement with other foster carer: long term"
    U5 = "U5", "Foster placement with other foster carer: fostering for adoption or concurrent"
    U6 = "U6", "Foster placement with other foster carer: other"
    Z11 = "Z11", "Other placement (Z11)"
    Z12 = "Z12", "Other placement (Z12)"
    Z13 = "Z13", "Other placement (Z13)"
    Z14 = "Z14", "Other placement (Z14)"


ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")
TEMPORARY_PLACEMENTS = ("T0", "T1", "T2", "T3", "T4")
# PLACE_PROVIDER is blank for these (T4 optional) and required for every other type.
NO_PROVIDER_PLACEMENTS = ("T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14")
# URN is not required for these (rule 218).
NO_URN_PLACEMENTS = ("P1", "P3", "R1", "R2", "R5", *TEMPORARY_PLACEMENTS,
                     "Z11", "Z12", "Z13", "Z14")  # fmt: skip


class PlacementProvider(models.TextChoices):
    PR0 = "PR0", "Parent or other person with parental responsibility"
    PR1 = "PR1", "Own provision (by the LA)"
    PR2 = "PR2", "Other LA provision"
    PR3 = "PR3", "Other public provision"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary or third sector provision"


class ReasonCeased(models.TextChoices):
    X1 = "X1", "Episode ceased, a new episode begins on the same day"
    E11 = "E11", "Adopted: application unopposed"
    E12 = "E12", "Adopted: consent dispensed with by the court"
    E2 = "E2", "Died"
    E3 = "E3", "Care taken over by another LA"
    E4A = "E4A", "Returned home to parents or person with parental responsibility: planned"
    E4B = "E4B", "Returned home to parents or person with parental responsibility: unplanned"
    E13 = "E13", "Left care to live with parent or relative without parental responsibility"
    E41 = "E41", "Residence order or child arrangements order granted"
    E45 = "E45", "Special guardianship order: former foster carer"
    E46 = "E46", "Special guardianship order: former foster carer (not relative or friend)"
    E47 = (
        "E47",
        "Special guardianship order: carer other than former foster carer (relative or friend)",
    )  # noqa: E501
    E48 = "E48", "Special guardianship order: other carer"
    E5 = "E5", "Moved to independent living with supportive accommodation"
    E6 = "E6", "Moved to independent living without formalised support"
    E7 = "E7", "Transferred to adult social care"
    E8 = "E8", "Period of being looked after ceased for any other reason"
    E9 = "E9", "Sentenced to custody"
    E14 = "E14", "Accommodation on remand ended"
    E15 = "E15", "Age assessment determined child is aged 18 or over"
    E16 = "E16", "Child moved abroad"
    E17 = "E17", "Aged 18 or over and remained with current carers (staying put)"


ADOPTED = (ReasonCeased.E11, ReasonCeased.E12)
# Ages from which the reason is allowed (care.md: E5/E6 14+, E7 16+, E17 18+).
REASON_MIN_AGE = {"E5": 14, "E6": 14, "E7": 16, "E17": 18}


class PlacementChangeReason(models.TextChoices):
    CARPL = "CARPL", "Change to the care plan"
    CLOSE = "CLOSE", "Provider closed"
    ALLEG = "ALLEG", "Section 47 allegation"
    STAND = "STAND", "Concerns about standards of care"
    APPRR = "APPRR", "Carer's approval removed"
    CREQB = "CREQB", "Carer ended the placement: child's behaviour"
    CREQO = "CREQO", "Carer ended the placement: other reason"
    CHILD = "CHILD", "Child asked to move"
    LAREQ = "LAREQ", "LA asked for the move"
    PLACE = "PLACE", "Change of placement status only"
    CUSTOD = "CUSTOD", "Custody"
    OTHER = "OTHER", "Other"


class ReviewParticipation(models.TextChoices):
    PN0 = "PN0", "Child aged under 4 at the time of the review"
    PN1 = "PN1", "Child attends and speaks for themselves"
    PN2 = "PN2", "Child attends, an advocate speaks for them"
    PN3 = "PN3", "Child attends and conveys their views non-verbally"
    PN4 = "PN4", "Child attends but does not contribute"
    PN5 = "PN5", "Child absent, briefs an advocate"
    PN6 = "PN6", "Child absent, conveys views by another method"
    PN7 = "PN7", "Child absent, no views conveyed"


class HealthCheckKind(models.TextChoices):
    INITIAL = "initial", "Initial health assessment"
    REVIEW = "review", "Review health assessment"
    DENTAL = "dental", "Dental check"
    IMMUNISATIONS = "immunisations", "Immunisations up to date"


class MissingKind(models.TextChoices):
    M = "M", "Missing (whereabouts unknown)"
    A = "A", "Away from placement without authorisation"


# Care leavers (OC3) and permanence (AD1, PlacedAdoption, PrevPerm); care.md section 2.
class LeaverEligibility(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible (still looked after, 16 or 17)"
    RELEVANT = "relevant", "Relevant (16 or 17, left care)"
    FORMER_RELEVANT = "former_relevant", "Former relevant (18 to 25)"
    QUALIFYING = "qualifying", "Qualifying"


class InTouch(models.TextChoices):
    YES = "YES", "Yes, in touch"
    NO = "NO", "No, not in touch"
    DIED = "DIED", "Died"
    REFU = "REFU", "Refuses contact"
    NREQ = "NREQ", "No longer requires services"
    RHOM = "RHOM", "Returned home to parents for 6 months or more"


class LeaverActivity(models.TextChoices):
    F1 = "F1", "Full time in higher education"
    P1 = "P1", "Part time in higher education"
    F2 = "F2", "Full time in other education"
    P2 = "P2", "Part time in other education"
    F4 = "F4", "Full time apprenticeship"
    P4 = "P4", "Part time apprenticeship"
    F5 = "F5", "Full time training or employment"
    P5 = "P5", "Part time training or employment"
    G4 = "G4", "Not in education, employment or training: illness or disability"
    G5 = "G5", "Not in education, employment or training: other"
    G6 = "G6", "Not in education, employment or training: pregnancy or parenting"
    NOT_KNOWN = "0", "Not known"


IN_EET = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")

_ACCOM = {
    "B": "With parents or relatives", "C": "Community home", "D": "Semi-independent living",
    "E": "Supported lodgings", "G": "Gone abroad", "H": "Deported", "K": "Ordinary lodgings",
    "R": "Residence not known", "T": "Foyer", "U": "Independent living",
    "V": "Emergency accommodation", "W": "Bed and breakfast", "Y": "Other accommodation",
    "Z": "With former foster carers",
}  # fmt: skip
LeaverAccommodation = models.TextChoices(
    "LeaverAccommodation",
    [(f"{k}{n}", (f"{k}{n}", f"{v}: {'suitable' if n == 1 else 'not suitable'}"))
     for k, v in _ACCOM.items() for n in (1, 2)]
    + [("S2", ("S2", "No fixed abode: not suitable")), ("X2", ("X2", "In custody: not suitable")),
       ("NOT_KNOWN", ("0", "Not known"))],
)  # fmt: skip


class AdopterSex(models.TextChoices):
    M1 = "M1", "Single male"
    F1 = "F1", "Single female"
    MM = "MM", "Two males"
    FF = "FF", "Two females"
    MF = "MF", "Male and female"


class AdopterLegalStatus(models.TextChoices):
    L0 = "L0", "Single adopter"
    L11 = "L11", "Married couple, mixed sex"
    L12 = "L12", "Married couple, same sex"
    L2 = "L2", "Civil partners"
    L3 = "L3", "Unmarried couple, mixed sex"
    L4 = "L4", "Unmarried couple, same sex"


class AdoptionReversal(models.TextChoices):
    RD1 = "RD1", "The child's needs changed"
    RD2 = "RD2", "The court did not make a placement order"
    RD3 = "RD3", "Prospective adopters could not be found"
    RD4 = "RD4", "Any other reason"


class PreviousPermanence(models.TextChoices):
    P1 = "P1", "Adoption"
    P2 = "P2", "Special guardianship order"
    P3 = "P3", "Residence order or child arrangements order"
    P4 = "P4", "Unknown"
    Z1 = "Z1", "None"


# A previous permanence order the return dates (PREV_PERM_DATE).
DATED_PREVIOUS_PERMANENCE = (PreviousPermanence.P1, PreviousPermanence.P2, PreviousPermanence.P3)


# Reasons a period ends in permanence (cla_ceased_permanence): adoption, SGO, CAO.
PERMANENCE_REASONS = ("E11", "E12", "E41", "E45", "E46", "E47", "E48")


class AdopterLeftReason(models.TextChoices):
    """Why prospective adopters left the process (Ofsted Annex A list 11)."""

    WITHDREW = "1", "The adopters withdrew"
    ON_HOLD = "2", "On hold"
    REFUSED = "3", "The agency did not approve them"

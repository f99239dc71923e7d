"""Code lists from the DfE children-in-need census (domain.md section 2).

Stored values are the census codes themselves so that returns and national
comparisons need no translation.
"""

from django.db import models


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance (neighbour, childminder)"
    SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other (stranger, MP)"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "Health: GP"
    HEALTH_VISITOR = "3B", "Health: health visitor"
    SCHOOL_NURSE = "3C", "Health: school nurse"
    PRIMARY_HEALTH_OTHER = "3D", "Health: other primary health services"
    A_AND_E = "3E", "Health: A&E"
    HEALTH_OTHER = "3F", "Health: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "LA services: social care"
    LA_OTHER_INTERNAL = "5B", "LA services: other internal"
    OTHER_LA = "5C", "LA services: another LA's services"
    EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    LEGAL_AGENCY = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    N0 = "N0", "Not stated"
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"


class ClosureReason(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to another local authority"
    RC6 = "RC6", "Transferred to adult social care"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


# RC8 and RC9 mean "closed after assessment": the census refuses any s47, ICPC, CIN plan or
# CP plan on such an episode (DfE rule 2990), so a closure with that activity is RC7.
CLOSED_AFTER_ASSESSMENT = (ClosureReason.RC8, ClosureReason.RC9)


class AbuseCategory(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNBORN = "U", "Unborn / not known"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism/Asperger syndrome"
    DDA = "DDA", "Other DDA"


class UPNUnknownReason(models.TextChoices):
    UN1 = "UN1", "Child is now ceased to be looked after / not of school age"
    UN2 = "UN2", "Child has never been to school"
    UN3 = "UN3", "Child is educated outside the maintained sector"
    UN4 = "UN4", "Child has moved in from abroad"
    UN5 = "UN5", "Sources collating UPNs reflect discrepancy"
    UN6 = "UN6", "Child aged under 6 years old and is not yet assigned a UPN"
    UN7 = "UN7", "Referral with no further action (census meaning; every episode NFA)"
    UN8 = "UN8", "Child is unborn"
    UN9 = "UN9", "Child is an unaccompanied asylum seeker"
    UN10 = "UN10", "Child is in a secure unit or youth offending institution"


ASSESSMENT_FACTORS = {
    "1A": "Alcohol misuse: child",
    "1B": "Alcohol misuse: parent/carer",
    "1C": "Alcohol misuse: other person in household",
    "2A": "Drug misuse: child",
    "2B": "Drug misuse: parent/carer",
    "2C": "Drug misuse: other person in household",
    "3A": "Domestic abuse: child",
    "3B": "Domestic abuse: parent/carer",
    "3C": "Domestic abuse: other person in household",
    "4A": "Mental health: child",
    "4B": "Mental health: parent/carer",
    "4C": "Mental health: other person in household",
    "5A": "Learning disability: child",
    "5B": "Learning disability: parent/carer",
    "5C": "Learning disability: other person in household",
    "6A": "Physical disability or illness: child",
    "6B": "Physical disability or illness: parent/carer",
    "6C": "Physical disability or illness: other person in household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas, intending to stay",
    "8C": "Privately fostered: overseas, intending to return",
    "8D": "Privately fostered: UK, parents' education",
    "8E": "Privately fostered: UK, other",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18B": "Physical abuse: child on child",
    "18C": "Physical abuse: adult on child",
    "19B": "Sexual abuse: child on child",
    "19C": "Sexual abuse: adult on child",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
NO_FACTORS = "21"

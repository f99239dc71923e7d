"""Early help code lists (workforce-earlyhelp-annexa.md section B)."""

from django.db import models


class RequestRoute(models.TextChoices):
    """How an early help episode was asked for. Step-downs come from social care."""

    CONTACT = "contact", "Contact screened to early help"
    STEP_DOWN_ASSESSMENT = "step_down_assessment", "Step-down after a Child and Family assessment"
    STEP_DOWN_CIN = "step_down_cin", "Step-down at closure of a child in need episode"
    PARTNER = "partner", "Request from a partner agency"


STEP_DOWN_ROUTES = (RequestRoute.STEP_DOWN_ASSESSMENT, RequestRoute.STEP_DOWN_CIN)


class LeadAgency(models.TextChoices):
    """Organisation type of the lead practitioner (seed 004: mainly schools and health)."""

    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years setting"
    HEALTH_VISITOR = "health_visitor", "Health visiting"
    SCHOOL_NURSE = "school_nurse", "School nursing"
    HEALTH_OTHER = "health_other", "Other health service"
    LA_EARLY_HELP = "la_early_help", "Local authority early help service"
    FAMILY_HUB = "family_hub", "Family hub or children's centre"
    HOUSING = "housing", "Housing"
    POLICE = "police", "Police"
    VOLUNTARY = "voluntary", "Voluntary or community sector"
    OTHER = "other", "Other"


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    DISENGAGED = "disengaged", "Family declined or disengaged"
    MOVED = "moved", "Moved away"
    OTHER = "other", "Other"


class Need(models.TextChoices):
    """The Supporting Families 2022-25 outcomes a family's needs are coded to."""

    EDUCATION = "education", "Getting a good education"
    EARLY_YEARS = "early_years", "Good early years development"
    HEALTH = "health", "Improved mental and physical health"
    SUBSTANCE = "substance", "Promoting recovery and reducing harm from substance use"
    RELATIONSHIPS = "relationships", "Improved family relationships"
    SAFE = "safe", "Children safe from abuse and exploitation"
    CRIME = "crime", "Crime prevention and tackling crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Safe from domestic abuse"
    HOUSING = "housing", "Secure housing"
    FINANCE = "finance", "Financial stability"


# Local cadence: a team around the family reviews the plan at least every 6 weeks.
REVIEW_INTERVAL_DAYS = 42

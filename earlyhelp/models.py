"""Early help episodes: request, early help assessment, team around the family, plan and
reviews, closure; step-down from and step-up to children's social care.

One episode per child (a family's siblings each have their own, like CIN episodes), open
from the request to the closure. The early help assessment (EHA) is held on the episode:
one assessment per episode, which is what Annex A list 2 and the KPIs count.
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from casework.codes import ReferralSource
from casework.models.base import CaseRecord
from earlyhelp.codes import ClosureReason, LeadAgency, RequestRoute


class EarlyHelpEpisode(CaseRecord):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ASSESSMENT = "assessment", "Assessment in progress"
        ASSESSED = "assessed", "Assessed"
        PLAN = "plan", "Family plan in place"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="early_help_episodes"
    )
    status = FSMField(default=Status.REQUESTED, choices=Status.choices, protected=True)
    # Request
    requested_on = models.DateField("Request date", db_index=True)
    route = models.CharField(max_length=24, choices=RequestRoute.choices)
    requested_by_agency = models.CharField(
        "Requesting agency", max_length=20, choices=LeadAgency.choices, blank=True
    )
    request_reason = models.TextField(blank=True)
    contact_child = models.OneToOneField(
        "referrals.ContactChild",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="early_help_episode",
    )
    from_assessment = models.ForeignKey(
        "casework.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who coordinates: the LA's team and worker when the LA leads, and the lead
    # practitioner by name and organisation whoever leads (Working Together 2023).
    team = models.ForeignKey(
        "casework.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        "casework.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_agency = models.CharField(max_length=20, choices=LeadAgency.choices, blank=True)
    lead_practitioner = models.CharField(max_length=100, blank=True)
    # Early help assessment
    consent_on = models.DateField("Consent date", null=True, blank=True)
    assessment_started_on = models.DateField(null=True, blank=True, db_index=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    needs = models.JSONField(default=list, blank=True, help_text="Need codes (earlyhelp.codes)")
    # Family plan
    plan_started_on = models.DateField(null=True, blank=True)
    next_review_due_on = models.DateField(null=True, blank=True)
    # Closure
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    closure_reason = models.CharField(max_length=12, choices=ClosureReason.choices, blank=True)
    closure_notes = models.TextField(blank=True)
    step_up_contact = models.OneToOneField(
        "referrals.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="early_help_step_up",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_on"]
        indexes = [models.Index(fields=["child", "requested_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(closed_on__isnull=True, entered_in_error=False),
                name="one_open_early_help_episode_per_child",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(closed_on__isnull=True, closure_reason="")
                    | (models.Q(closed_on__isnull=False) & ~models.Q(closure_reason=""))
                ),
                name="early_help_closure_date_and_reason_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help requested {self.requested_on:%d/%m/%Y} for {self.child}"

    @property
    def is_step_down(self) -> bool:
        return self.route in (RequestRoute.STEP_DOWN_ASSESSMENT, RequestRoute.STEP_DOWN_CIN)

    @transition(field=status, source=Status.REQUESTED, target=Status.ASSESSMENT)
    def start_assessment(self):
        """Consent given; the lead practitioner starts the early help assessment."""

    @transition(field=status, source=Status.ASSESSMENT, target=Status.ASSESSED)
    def complete_assessment(self):
        """Assessment completed with the family's needs."""

    @transition(field=status, source=Status.ASSESSED, target=Status.PLAN)
    def start_plan(self):
        """The team around the family agrees a family plan."""

    # Work recorded on the episode without moving it (no target): declared so that the
    # services and the record page ask the same table when it may be recorded.
    @transition(field=status, source=Status.PLAN, target=None)
    def record_review(self):
        """A review of the family plan: only while a plan is in place."""

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.ASSESSMENT, Status.ASSESSED, Status.PLAN],
        target=None,
    )
    def add_team_member(self):
        """A practitioner joins the team around the family while the episode is open."""

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.ASSESSMENT, Status.ASSESSED, Status.PLAN],
        target=Status.CLOSED,
    )
    def close(self):
        """Closed with a reason (stepping up closes it too)."""


class TeamAroundFamilyMember(CaseRecord):
    """A practitioner in the team around the family (TAF)."""

    episode = models.ForeignKey(
        EarlyHelpEpisode, on_delete=models.PROTECT, related_name="taf_members"
    )
    name = models.CharField(max_length=100)
    agency = models.CharField(max_length=20, choices=LeadAgency.choices)
    role = models.CharField(max_length=100, blank=True)
    joined_on = models.DateField()

    class Meta:
        ordering = ["joined_on", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"


class EarlyHelpReview(CaseRecord):
    """A review of the family plan at a team around the family meeting."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    progress = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Plan review {self.held_on:%d/%m/%Y}"


class ContactSourceMonth(models.Model):
    """Children on contacts received in a month from one source, and how many of them were
    screened to a referral or to early help: the early help page's contacts-by-source
    table, kept by the KPI job with ``contacts_by_source`` (earlyhelp/kpi_contact_sources.py)
    so that the page reads a dozen rows a month instead of a year of contacts.

    Derived, never entered: rewritten whole for the months a KPI run covers.
    """

    month = models.DateField(help_text="The first day of the month")
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    contacts = models.PositiveIntegerField()
    progressed = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["month", "source"]
        constraints = [
            models.UniqueConstraint(fields=["month", "source"], name="one_row_per_month_source")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} source {self.source}: {self.progressed}/{self.contacts}"


# The referral source of a step-up contact: early help referring to social care.
STEP_UP_SOURCE = ReferralSource.EARLY_HELP

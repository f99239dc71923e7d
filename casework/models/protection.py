"""Child protection: strategy discussions, s47 enquiries, conferences, plans, core groups."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from casework.codes import AbuseCategory
from casework.models.base import CaseRecord, Deadline, scope_column


class StrategyDiscussion(CaseRecord):
    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    held_on = models.DateField(db_index=True)
    s47_required = models.BooleanField("Section 47 enquiry to start")
    attendees = models.TextField(blank=True, help_text="Agencies taking part")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The scope stored on the event (casework.scope): who answers for it on held_on.
    scope_team_id = scope_column("team")
    scope_worker_id = scope_column("worker")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Strategy discussion {self.held_on:%d/%m/%Y}"


class S47Outcome(models.TextChoices):
    ICPC = "icpc", "Initial child protection conference"
    CIN_PLAN = "cin_plan", "Child in need plan"
    NFA = "nfa", "No further action"


class Section47Enquiry(CaseRecord):
    """Starts on the date of the strategy discussion that initiated it (census definition)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Outcome awaiting sign-off"
        COMPLETED = "completed", "Completed"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="s47s")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="s47s"
    )
    strategy_discussion = models.OneToOneField(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="s47"
    )
    status = FSMField(default=Status.OPEN, choices=Status.choices, protected=True)
    started_on = models.DateField(db_index=True)
    icpc_due_on = models.DateField(help_text="15 working days from the strategy discussion")
    ended_on = models.DateField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=10, choices=S47Outcome.choices, blank=True)
    icpc_not_required = models.BooleanField("ICPC deemed unnecessary", default=False)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The scope stored on the event (casework.scope): who answers for it on ended_on.
    scope_team_id = scope_column("team")
    scope_worker_id = scope_column("worker")

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        ordering = ["-started_on"]
        indexes = [
            # The authorisation queue: the few outcomes awaiting a manager's sign-off.
            models.Index(
                fields=["child"],
                condition=models.Q(status="submitted"),
                name="s47_awaiting_sign_off",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry started {self.started_on:%d/%m/%Y}"

    @transition(field=status, source=Status.OPEN, target=Status.SUBMITTED)
    def submit_outcome(self):
        """Worker records the outcome; a manager signs it off."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.OPEN)
    def return_outcome(self):
        """Manager sends the outcome back."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.COMPLETED)
    def complete(self):
        """Manager signs off the outcome: the enquiry has ended."""


class ConferenceKind(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"


class ConferenceOutcome(models.TextChoices):
    PLAN = "plan", "Child protection plan"
    NO_PLAN = "no_plan", "No plan"
    CONTINUE = "continue", "Plan continues"
    END_PLAN = "end_plan", "Plan ends"


class ChildProtectionConference(CaseRecord):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="conferences"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="conferences"
    )
    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    s47 = models.OneToOneField(
        Section47Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="icpc"
    )
    plan = models.ForeignKey(
        "casework.ChildProtectionPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    status = FSMField(default=Status.SCHEDULED, choices=Status.choices, protected=True)
    due_on = models.DateField("Target date")
    scheduled_for = models.DateField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True, db_index=True)
    transfer_in = models.BooleanField(
        default=False, help_text="Transfer-in conference for a child on another LA's plan"
    )
    outcome = models.CharField(max_length=10, choices=ConferenceOutcome.choices, blank=True)
    chair = models.CharField(max_length=100, blank=True)

    # The scope stored on the event (casework.scope): who answers for it on held_on.
    scope_team_id = scope_column("team")
    scope_worker_id = scope_column("worker")

    class Meta:
        ordering = ["-due_on"]
        indexes = [
            models.Index(fields=["kind", "held_on"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on:%d/%m/%Y}"

    @transition(field=status, source=Status.SCHEDULED, target=Status.HELD)
    def hold(self):
        """The conference took place and reached its outcome."""

    def deadline_status(self, today):
        return Deadline.status(due_on=self.due_on, done_on=self.held_on, today=today)


class ChildProtectionPlan(CaseRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="cp_plans")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="cp_plans"
    )
    icpc = models.OneToOneField(
        ChildProtectionConference, on_delete=models.PROTECT, related_name="resulting_plan"
    )
    status = FSMField(default=Status.ACTIVE, choices=Status.choices, protected=True)
    started_on = models.DateField(db_index=True)
    ended_on = models.DateField(null=True, blank=True, db_index=True)
    initial_category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    latest_category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    first_core_group_due_on = models.DateField(help_text="10 working days from the ICPC")
    next_review_due_on = models.DateField(null=True, blank=True)
    next_visit_due_on = models.DateField(null=True, blank=True)
    # Seed 000: visits at least two-weekly "unless varied by a manager": empty means the
    # authority's standard applies.
    visit_standard_working_days = models.PositiveSmallIntegerField(
        "CP visit standard for this plan (working days)",
        null=True,
        blank=True,
        help_text="Leave empty to use the authority's standard.",
    )
    end_reason = models.CharField(max_length=200, blank=True)

    # The scope stored on the event (casework.scope): who answers for it on started_on.
    scope_team_id = scope_column("team")
    scope_worker_id = scope_column("worker")
    end_scope_team_id = scope_column("team (on ended_on)")
    end_scope_worker_id = scope_column("worker (on ended_on)")

    class Meta:
        verbose_name = "child protection plan"
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"CP plan from {self.started_on:%d/%m/%Y} ({self.initial_category})"

    @transition(field=status, source=Status.ACTIVE, target=Status.ENDED)
    def end(self):
        """Plan ended at a review conference (or on transfer out)."""

    def first_core_group_status(self, today=None):
        """Due / due soon / overdue until the first core group is held, then met / missed."""
        first = min((c.held_on for c in self.core_groups.all() if not c.entered_in_error),
                    default=None)  # fmt: skip
        return Deadline.status(due_on=self.first_core_group_due_on, done_on=first, today=today)


class CoreGroup(CaseRecord):
    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.PROTECT, related_name="core_groups"
    )
    due_on = models.DateField(null=True, blank=True)
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Core group {self.held_on:%d/%m/%Y}"

    def deadline_status(self, today=None):
        """Met or missed for the first core group (the only one with a due date)."""
        return Deadline.status(due_on=self.due_on, done_on=self.held_on, today=today)

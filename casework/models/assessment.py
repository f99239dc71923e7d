"""Child and Family assessments."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from casework.models.base import CaseRecord, Deadline, scope_column


class AssessmentOutcome(models.TextChoices):
    NFA = "nfa", "No further action"
    CIN_PLAN = "cin_plan", "Child in need plan"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    EARLY_HELP = "early_help", "Step down to early help"
    OTHER = "other", "Other services (e.g. looked after)"


class Assessment(CaseRecord):
    """A Child and Family assessment within a CIN episode.

    Timeliness is measured to authorisation (domain.md section 1): 45 working days from
    the referral date (Working Together 2023), and from the assessment start (DfE).
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed by worker"
        SUBMITTED = "submitted", "Awaiting authorisation"
        RETURNED = "returned", "Returned by manager"
        AUTHORISED = "authorised", "Authorised"

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="assessments"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="assessments"
    )
    worker = models.ForeignKey(
        "casework.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(default=Status.IN_PROGRESS, choices=Status.choices, protected=True)
    started_on = models.DateField("Assessment start date")
    due_on = models.DateField(help_text="45 working days from the referral date")
    dfe_due_on = models.DateField(help_text="45 working days from the assessment start date")
    child_seen_on = models.DateField("Date child first seen", null=True, blank=True)
    completed_on = models.DateField("Completed by worker", null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    times_returned = models.PositiveSmallIntegerField(default=0)
    authorised_on = models.DateField("Authorisation date", null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=24, choices=AssessmentOutcome.choices, blank=True)
    factors = models.JSONField(default=list, blank=True, help_text="Census assessment factor codes")
    summary = models.TextField(blank=True)

    # The scope stored on the event (casework.scope): who answers for it on authorised_on.
    scope_team_id = scope_column("team")
    scope_worker_id = scope_column("worker")

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["authorised_on"]),
            models.Index(fields=["child", "started_on"]),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.started_on:%d/%m/%Y} for {self.child_id}"

    @transition(field=status, source=[Status.IN_PROGRESS, Status.RETURNED], target=Status.COMPLETED)
    def complete(self):
        """Worker marks the assessment complete."""

    @transition(field=status, source=Status.COMPLETED, target=Status.SUBMITTED)
    def submit(self):
        """Sent to a manager for authorisation."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED)
    def return_to_worker(self):
        """Manager returns it with a reason."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.AUTHORISED)
    def authorise(self):
        """Manager authorises: the assessment is now complete for timeliness."""

    def deadline_status(self, today):
        return Deadline.status(due_on=self.due_on, done_on=self.authorised_on, today=today)

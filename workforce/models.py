"""Establishment (posts, contracts, absences), supervision and case file audits.

Definitions: ../shared/workforce-earlyhelp-annexa.md A2-A4 (CSWW census). A contract
fills a post; a post's vacancy at a date is its budgeted FTE less the FTE of the
authority's own (non-agency) contracts on it, floored at 0, so agency cover does not
fill a vacancy (CSWW counts agency workers covering vacancies separately).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from casework.models import Employment, WorkerRole
from workforce.codes import AUDIT_TOOL_VERSION, AbsenceKind, Grade, LeavingReason

FTE_FIELD = {
    "max_digits": 3,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
}


class WorkforceStandard(models.Model):
    """The authority's supervision and audit standards (one row; defaults from A3/A4)."""

    case_supervision_days = models.PositiveSmallIntegerField(
        default=28, validators=[MinValueValidator(1), MaxValueValidator(92)],
        help_text="Days between case supervisions of each allocated child (usually 4 weeks).",
    )  # fmt: skip
    worker_supervision_days = models.PositiveSmallIntegerField(
        default=28, validators=[MinValueValidator(1), MaxValueValidator(92)],
        help_text="Days between a worker's professional supervisions.",
    )  # fmt: skip
    nq_worker_supervision_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(92)],
        help_text="Days between supervisions of a newly qualified (ASYE) worker.",
    )  # fmt: skip
    audits_per_team_month = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(50)],
        help_text="Case files drawn for audit per team each month.",
    )  # fmt: skip
    history = HistoricalRecords()

    def __str__(self) -> str:
        return "Workforce standards"


class Post(models.Model):
    """A budgeted post in a team's establishment."""

    team = models.ForeignKey("casework.Team", on_delete=models.PROTECT, related_name="posts")
    role = models.CharField(max_length=30, choices=WorkerRole.choices)
    title = models.CharField(max_length=100, blank=True)
    budgeted_fte = models.DecimalField("Budgeted FTE", **FTE_FIELD)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "role", "pk"]
        indexes = [models.Index(fields=["team", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.team}: {self.title or self.get_role_display()} ({self.budgeted_fte} FTE)"


class Contract(models.Model):
    """A worker in a post from ``started_on`` to ``ended_on`` (inclusive)."""

    worker = models.ForeignKey(
        "casework.Worker", on_delete=models.PROTECT, related_name="contracts"
    )
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="contracts")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    fte = models.DecimalField("FTE", **FTE_FIELD)
    employment = models.CharField(max_length=12, choices=Employment.choices)
    newly_qualified = models.BooleanField("Newly qualified (ASYE)", default=False)
    # Set when the worker left the authority (a leaver, counted in turnover); a move
    # between posts ends the contract without one.
    leaving_reason = models.CharField(max_length=1, choices=LeavingReason.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["post", "started_on", "pk"]
        indexes = [models.Index(fields=["post", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} in {self.post}"

    @property
    def is_agency(self) -> bool:
        return self.employment == Employment.AGENCY


class Absence(models.Model):
    worker = models.ForeignKey("casework.Worker", on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(max_length=3, choices=AbsenceKind.choices)
    started_on = models.DateField()
    ended_on = models.DateField()
    days_lost = models.DecimalField(
        "Working days lost", max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.worker}: {self.get_kind_display()} from {self.started_on}"


class CaseSupervision(models.Model):
    """Case supervision of one child, recorded on the child's file (A3)."""

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="case_supervisions"
    )
    worker = models.ForeignKey("casework.Worker", on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey("casework.Worker", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    decisions = models.TextField()
    next_due_on = models.DateField()
    # Empty for records loaded in bulk (the synthetic authority, imports).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["child", "held_on"])]

    def __str__(self) -> str:
        return f"Case supervision of child {self.child_id} on {self.held_on}"


class WorkerSupervision(models.Model):
    """A worker's professional supervision: a record separate from case supervision."""

    worker = models.ForeignKey(
        "casework.Worker", on_delete=models.PROTECT, related_name="supervisions"
    )
    supervisor = models.ForeignKey("casework.Worker", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    notes = models.TextField()
    next_due_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["worker", "held_on"])]

    def __str__(self) -> str:
        return f"Supervision of {self.worker} on {self.held_on}"


class CaseAudit(FSMModelMixin, models.Model):
    """A case file audit: one grade per question and overall, optionally moderated."""

    class Status(models.TextChoices):
        DRAWN = "drawn", "Drawn for audit"
        COMPLETED = "completed", "Completed"
        MODERATED = "moderated", "Moderated"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="audits")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey("casework.Team", on_delete=models.PROTECT, related_name="audits")
    worker = models.ForeignKey(
        "casework.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Protected: only the transitions below set it (workforce.services.audits).
    status = FSMField(max_length=10, choices=Status.choices, default=Status.DRAWN, protected=True)
    sample_month = models.DateField(null=True, blank=True, help_text="First day of the month")
    theme = models.CharField(max_length=60, blank=True, help_text="For a thematic audit")
    tool_version = models.PositiveSmallIntegerField(default=AUDIT_TOOL_VERSION)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audited_on = models.DateField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # question key -> Grade
    grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    findings = models.TextField(blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_on = models.DateField(null=True, blank=True)
    moderated_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    moderation_notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-audited_on", "-pk"]
        indexes = [models.Index(fields=["team", "audited_on"])]

    def __str__(self) -> str:
        return f"Audit of child {self.child_id} ({self.get_status_display()})"

    @transition(field=status, source=Status.DRAWN, target=Status.COMPLETED)
    def complete(self) -> None:
        """Graded by an auditor."""

    @transition(field=status, source=Status.COMPLETED, target=Status.MODERATED)
    def moderate(self) -> None:
        """Graded again by a second auditor."""

    @property
    def final_grade(self) -> str:
        """The moderated grade where a second auditor changed it, else the auditor's."""
        return self.moderated_grade or self.grade


class AuditAction(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey("casework.Worker", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Action on audit {self.audit_id}: due {self.due_on}"

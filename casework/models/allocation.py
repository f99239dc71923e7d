"""Allocation of a child's episode to a worker: the rows that form caseloads."""

from django.db import models

from casework.models.base import CaseRecord


class AllocationReason(models.TextChoices):
    NEW = "new", "New case"
    TRANSFER = "transfer", "Transfer between teams"
    WORKLOAD = "workload", "Workload balancing"
    WORKER_LEFT = "worker_left", "Worker left or on leave"
    OTHER = "other", "Other"


class Allocation(CaseRecord):
    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="allocations"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="allocations"
    )
    worker = models.ForeignKey(
        "casework.Worker", on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey("casework.Team", on_delete=models.PROTECT, related_name="allocations")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=AllocationReason.choices)
    end_reason = models.CharField(max_length=200, blank=True)
    court_work = models.BooleanField(
        default=False, help_text="Care proceedings: weighted more heavily in caseloads"
    )

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["worker", "ended_on"]),
            models.Index(fields=["team", "ended_on"]),
            # "The episode's allocation at a date" (KPI scoping, stock KPIs): the latest
            # or first by start date is one index probe, with no sort per row.
            models.Index(fields=["referral", "started_on", "id"], name="allocation_episode_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(ended_on__isnull=True, entered_in_error=False),
                name="one_current_allocation_per_episode",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} to {self.worker} from {self.started_on:%d/%m/%Y}"

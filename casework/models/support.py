"""Child in need plans and visits."""

from django.db import models
from django_fsm import FSMField, transition

from casework.models.base import CaseRecord, scope_column


class CINPlan(CaseRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="cin_plans")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="cin_plans"
    )
    status = FSMField(default=Status.ACTIVE, choices=Status.choices, protected=True)
    started_on = models.DateField(db_index=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "CIN plan"
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"CIN plan from {self.started_on:%d/%m/%Y}"

    @transition(field=status, source=Status.ACTIVE, target=Status.ENDED)
    def end(self):
        """Plan ended."""


class VisitKind(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment visit"
    CIN = "cin", "Child in need visit"
    CP = "cp", "Child protection statutory visit"


class Visit(CaseRecord):
    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="visits")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(max_length=12, choices=VisitKind.choices)
    assessment = models.ForeignKey(
        "casework.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    cp_plan = models.ForeignKey(
        "casework.ChildProtectionPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    worker = models.ForeignKey(
        "casework.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(db_index=True)
    child_seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    # The scope stored on the event (casework.scope): who answers for it on visited_on.
    scope_team_id = scope_column("team")
    scope_worker_id = scope_column("worker")

    class Meta:
        ordering = ["-visited_on"]
        indexes = [
            models.Index(fields=["child", "kind", "visited_on"]),
            # The CP visit KPIs find each visit's previous one on the plan: a backward
            # walk of this index that stops at the first (was 20 rows per visit).
            models.Index(
                fields=["cp_plan", "-visited_on"],
                name="visit_cp_seen_by_plan",
                condition=models.Q(kind="cp", child_seen=True, entered_in_error=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on:%d/%m/%Y}"

"""A run of a return's pre-submission checks (the CIN census or the SSDA903), requested
from its checks page.

The validators take minutes on a county-sized return, so the page queues a run
(``metrics.returns.check_runs``) and shows it queued, running, then its findings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class CensusCheckRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Return(models.TextChoices):
        CIN_CENSUS = "cin_census", "CIN census"
        SSDA903 = "ssda903", "SSDA903 (children looked after)"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    return_type = models.CharField(max_length=10, choices=Return.choices,
                                   default=Return.CIN_CENSUS)  # fmt: skip
    year = models.PositiveSmallIntegerField("collection year ending 31 March")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ruleset = models.CharField(max_length=20, blank=True)
    rules_run = models.PositiveSmallIntegerField(default=0)
    rules_not_run = models.JSONField(default=list, blank=True)
    children = models.PositiveIntegerField(default=0)
    # The validator's findings as plain dicts (dfe_validator.ValidatorFinding fields).
    findings = models.JSONField(default=list, blank=True)
    structure_errors = models.JSONField(default=list, blank=True)
    # Rules that need files Caseflow does not hold (the SSDA903 validator skips them).
    rules_skipped = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        app_label = "metrics"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A second request while one is queued or running gets that one (idempotent).
            models.UniqueConstraint(
                fields=["return_type", "year"],
                condition=Q(status__in=["queued", "running"]),
                name="one_unfinished_check_per_return_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_return_type_display()} {self.year} checks ({self.status})"

    @property
    def unfinished(self) -> bool:
        return self.status in self.UNFINISHED

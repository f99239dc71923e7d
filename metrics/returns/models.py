"""The returns' background work, one row per request: a run of a return's pre-submission
checks (the CIN census or the SSDA903, from its checks page) and an export of a return
(the returns page).

The DfE validator takes minutes on a county-sized return, so the pages queue the work
(``metrics.returns.check_runs``, ``metrics.returns.export_jobs``) and show it queued,
running, then its result.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class QueuedWork(models.Model):
    """A piece of background work a page asked for: who, when, its state and why it failed.
    A Celery task claims it (queued -> running) and finishes it (done or failed)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ruleset = models.CharField(max_length=20, blank=True)  # the DfE validator's, if it ran
    children = models.PositiveIntegerField(default=0)
    # The validator's findings as plain dicts (dfe_validator.ValidatorFinding fields).
    findings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True
        app_label = "metrics"
        ordering = ["-requested_at", "-pk"]

    @property
    def unfinished(self) -> bool:
        return self.status in self.UNFINISHED


class CensusCheckRun(QueuedWork):
    class Return(models.TextChoices):
        CIN_CENSUS = "cin_census", "CIN census"
        SSDA903 = "ssda903", "SSDA903 (children looked after)"

    return_type = models.CharField(max_length=10, choices=Return.choices,
                                   default=Return.CIN_CENSUS)  # fmt: skip
    year = models.PositiveSmallIntegerField("collection year ending 31 March")
    rules_run = models.PositiveSmallIntegerField(default=0)
    rules_not_run = models.JSONField(default=list, blank=True)
    structure_errors = models.JSONField(default=list, blank=True)
    # Rules that need files Caseflow does not hold (the SSDA903 validator skips them).
    rules_skipped = models.JSONField(default=list, blank=True)

    class Meta(QueuedWork.Meta):
        app_label = "metrics"
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


class ReturnExportJob(QueuedWork):
    """A requested export: the CIN census for the year ending 31 March ``year``, or Ofsted's
    Annex A as of ``as_of``. The file is written beside the others (``service.returns_dir``);
    the row keeps what the page shows and, for the census, the DfE validator's verdict."""

    class Kind(models.TextChoices):
        CIN_CENSUS = "cin_census", "CIN census"
        ANNEX_A = "annex_a", "Ofsted Annex A"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("return year")
    # The return's reference date: 31 March of ``year`` for the census, Annex A's as-of date.
    as_of = models.DateField()
    file = models.CharField(max_length=200, blank=True)
    # ``children``: the census's children in the file; Annex A's rows over all lists.
    schema_errors = models.JSONField(default=list, blank=True)
    check_findings = models.PositiveIntegerField(default=0)  # the DfE validator's errors
    check_queries = models.PositiveIntegerField(default=0)

    class Meta(QueuedWork.Meta):
        app_label = "metrics"
        constraints = [
            # Asking again for the same return while it is queued or running gets that one.
            models.UniqueConstraint(
                fields=["kind", "as_of"],
                condition=Q(status__in=["queued", "running"]),
                name="one_unfinished_export_per_return",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def title(self) -> str:
        if self.kind == self.Kind.ANNEX_A:
            return f"Ofsted Annex A as of {self.as_of:%d/%m/%Y}"
        return f"CIN census {self.year}"

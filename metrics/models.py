"""KPI snapshots (computed values), targets and national comparators."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from metrics.registry import CODES

KPI_CHOICES = [(code, code) for code in CODES]


class ScopeType(models.TextChoices):
    AUTHORITY = "authority", "Authority"
    TEAM = "team", "Team"
    WORKER = "worker", "Worker"


class KpiSnapshot(models.Model):
    """One KPI value for one period and scope, as last computed.

    Written only by ``metrics.services.kpi_snapshots_upsert``. ``scope_id`` is the team
    or worker id, null for the authority; ``scope_key`` mirrors it with 0 for the
    authority so that the unique key works on every database (NULLs are distinct in a
    unique index) and upserts can target it.
    """

    kpi = models.CharField(max_length=50)
    period = models.CharField(max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    scope_type = models.CharField(max_length=10, choices=ScopeType.choices)
    scope_id = models.PositiveIntegerField(null=True, blank=True)
    scope_key = models.GeneratedField(
        expression=Coalesce("scope_id", 0),
        output_field=models.PositiveIntegerField(),
        db_persist=True,
    )
    numerator = models.DecimalField(max_digits=14, decimal_places=2)
    denominator = models.DecimalField(max_digits=14, decimal_places=2)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    computed_at = models.DateTimeField()
    definition_version = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period", "scope_type", "scope_key"],
                name="one_snapshot_per_kpi_period_scope",
            )
        ]
        indexes = [
            models.Index(fields=["period", "scope_type", "scope_id"]),
            models.Index(fields=["kpi", "scope_type", "period_end"]),
        ]
        ordering = ["kpi", "period_end"]

    def __str__(self) -> str:
        scope = self.scope_type if self.scope_id is None else f"{self.scope_type}:{self.scope_id}"
        return f"{self.kpi} {self.period} {scope} = {self.value}"


class KpiTarget(models.Model):
    """A head of service's target: green at or beyond ``value``, amber up to ``amber``."""

    kpi = models.CharField(max_length=50, choices=KPI_CHOICES, unique=True)
    value = models.DecimalField(max_digits=10, decimal_places=2)
    amber_threshold = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text="Values between this and the target are amber; beyond it, red.",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)
    # Who changed a target, from what, and when: the history a head of service reads.
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi"]

    def __str__(self) -> str:
        return f"{self.kpi} target {self.value}"


class ComparatorKind(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
    AUTHORITY = "authority", "Named authority"


class ComparatorPeriodKind(models.TextChoices):
    """What the comparator's figure covers: a year (or a position at a year's census
    date), a quarter or a month. Matched to the period a page shows."""

    YEAR = "year", "Year"
    QUARTER = "quarter", "Quarter"
    MONTH = "month", "Month"


class KpiComparator(models.Model):
    """A reference value an administrator keeps: England, a region, statistical
    neighbours or a named authority, for a period, with its source."""

    kpi = models.CharField(max_length=50, choices=KPI_CHOICES)
    kind = models.CharField(
        max_length=30, choices=ComparatorKind.choices, default=ComparatorKind.ENGLAND
    )
    area = models.CharField(
        max_length=100, blank=True, help_text='The region or authority, e.g. "South West"'
    )
    period_kind = models.CharField(
        max_length=10, choices=ComparatorPeriodKind.choices, default=ComparatorPeriodKind.YEAR
    )
    period = models.CharField(
        max_length=40, blank=True, help_text='The period the figure covers, e.g. "2024-25"'
    )
    label = models.CharField(
        max_length=60, blank=True, help_text="Left empty: the area (or kind) and the period"
    )
    value = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kpi", "kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "label"], name="one_comparator_per_label")
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.label}: {self.value}"

    def save(self, *args, **kwargs):
        if not self.label:
            self.label = default_label(self.kind, self.area, self.period)
        super().save(*args, **kwargs)


def default_label(kind: str, area: str, period: str) -> str:
    name = area or ComparatorKind(kind).label
    return f"{name} {period}".strip()[:60]


class ReportCommentary(models.Model):
    """A head of service's commentary on one report: per section (``kpi`` empty) or per
    line (a KPI). ``report`` is the report's period as its page names it (FY2024-25,
    R12-2025-03 or a list of months); the history keeps every earlier wording."""

    report = models.CharField(max_length=200)
    section = models.CharField(max_length=20)
    kpi = models.CharField(max_length=50, blank=True)
    text = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "section", "kpi"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section", "kpi"], name="one_commentary_per_report_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.section} {self.kpi or '(section)'}"


# The statutory returns' own table, kept beside the returns code (metrics/returns/).
from metrics.returns.models import CensusCheckRun, ReturnExportJob  # noqa: E402, F401

"""Children looked after: periods of care, SSDA903 episodes, placements and the steps due.

A *period of care* runs from the day a child becomes looked after (first episode, RNE S)
to the day they cease (an episode ending with any reason other than X1). Inside it,
*episodes* are the SSDA903 rows: one per spell of unchanged legal status and placement;
a change ends the current episode with X1 and starts the next on the same day, so the
episodes of a period never overlap and leave no gap. Due dates are stored on the period
(next review, visit, health assessment, PEP) so lists and KPIs filter on them in SQL.
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from care import codes
from casework.models import CaseRecord, Deadline


class CarePeriod(CaseRecord):
    class Status(models.TextChoices):
        LOOKED_AFTER = "looked_after", "Looked after"
        CEASED = "ceased", "Ceased to be looked after"

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="care_periods"
    )
    # The child in need episode the child came into care from (none if directly).
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_periods",
    )
    worker = models.ForeignKey(
        "casework.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_periods",
    )
    status = FSMField(default=Status.LOOKED_AFTER, choices=Status.choices, protected=False)
    started_on = models.DateField(db_index=True)
    ended_on = models.DateField(null=True, blank=True, db_index=True)
    reason_ceased = models.CharField(max_length=3, choices=codes.ReasonCeased.choices, blank=True)
    uasc = models.BooleanField("Unaccompanied asylum-seeking child", default=False)
    uasc_ceased_on = models.DateField("Date UASC status ceased", null=True, blank=True)
    next_review_due_on = models.DateField(null=True, blank=True)
    next_visit_due_on = models.DateField(null=True, blank=True)
    next_health_due_on = models.DateField(null=True, blank=True)
    next_pep_due_on = models.DateField(null=True, blank=True)
    # A manager may ask for visits more often than the regulation's maximum interval.
    visit_interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    visit_interval_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["child", "started_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(ended_on__isnull=True, entered_in_error=False),
                name="one_open_care_period_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"Looked after from {self.started_on:%d/%m/%Y}"

    @transition(field=status, source=Status.LOOKED_AFTER, target=Status.CEASED)
    def cease(self):
        """The child ceased to be looked after."""

    def current_episode(self):
        return self.episodes.current().filter(ended_on__isnull=True).first()

    def review_status(self, today=None):
        return Deadline.status(due_on=self.next_review_due_on, done_on=None, today=today)


class Placement(CaseRecord):
    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="placements")
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="placements")
    place = models.CharField("Placement type", max_length=3, choices=codes.PlacementType.choices)
    provider = models.CharField(
        "Placement provider", max_length=3, choices=codes.PlacementProvider.choices, blank=True
    )
    postcode = models.CharField("Placement postcode", max_length=8, blank=True)
    urn = models.CharField("Ofsted URN", max_length=8, blank=True)
    carer = models.CharField(
        max_length=100, blank=True, help_text="Carer or provider reference: same carer or not"
    )
    long_term = models.BooleanField("Intended to last until the child is 18", default=False)
    started_on = models.DateField(db_index=True)
    ended_on = models.DateField(null=True, blank=True)
    reason_change = models.CharField(
        "Reason for placement change",
        max_length=6,
        choices=codes.PlacementChangeReason.choices,
        blank=True,
    )
    # A placement replaced on the day it started (SSDA903: the last placement of the day
    # is the one returned); kept for the record, never counted.
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["child", "started_on"])]

    def __str__(self) -> str:
        return f"{self.get_place_display()} from {self.started_on:%d/%m/%Y}"


class CareEpisode(CaseRecord):
    """One SSDA903 episode row."""

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="care_episodes"
    )
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="episodes")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="episodes")
    started_on = models.DateField("Date episode commenced", db_index=True)
    reason_new_episode = models.CharField(max_length=1, choices=codes.NewEpisodeReason.choices)
    legal_status = models.CharField(max_length=2, choices=codes.LegalStatus.choices)
    category_of_need = models.CharField(max_length=2, choices=codes.CategoryOfNeed.choices)
    ended_on = models.DateField("Date episode ceased", null=True, blank=True, db_index=True)
    reason_ceased = models.CharField(max_length=3, choices=codes.ReasonCeased.choices, blank=True)
    reason_place_change = models.CharField(
        max_length=6, choices=codes.PlacementChangeReason.choices, blank=True
    )
    home_postcode = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["child", "started_on"])]

    def __str__(self) -> str:
        return f"{self.legal_status}/{self.placement.place} from {self.started_on:%d/%m/%Y}"


class CareReview(CaseRecord):
    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="care_reviews"
    )
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="reviews")
    number = models.PositiveSmallIntegerField(help_text="1 for the first review of the period")
    due_on = models.DateField()
    held_on = models.DateField(db_index=True)
    participation = models.CharField(max_length=3, choices=codes.ReviewParticipation.choices)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Looked-after review {self.held_on:%d/%m/%Y}"

    def deadline_status(self, today=None):
        return Deadline.status(due_on=self.due_on, done_on=self.held_on, today=today)


class CareVisit(CaseRecord):
    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="care_visits"
    )
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="visits")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="visits")
    worker = models.ForeignKey(
        "casework.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    visited_on = models.DateField(db_index=True)
    child_seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"Looked-after child visit {self.visited_on:%d/%m/%Y}"


class HealthCheck(CaseRecord):
    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="health_checks"
    )
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="health_checks")
    kind = models.CharField(max_length=14, choices=codes.HealthCheckKind.choices)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(db_index=True)

    class Meta:
        ordering = ["-done_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on:%d/%m/%Y}"


class EducationPlan(CaseRecord):
    """Personal education plan (PEP): started, then reviewed termly."""

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="peps")
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="peps")
    due_on = models.DateField()
    held_on = models.DateField(db_index=True)

    class Meta:
        verbose_name = "personal education plan"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"PEP {self.held_on:%d/%m/%Y}"


class MissingEpisode(CaseRecord):
    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="missing_episodes"
    )
    period = models.ForeignKey(
        CarePeriod, on_delete=models.PROTECT, related_name="missing_episodes"
    )
    kind = models.CharField(max_length=1, choices=codes.MissingKind.choices)
    started_on = models.DateField(db_index=True)
    ended_on = models.DateField(null=True, blank=True)
    return_interview_due_on = models.DateField(null=True, blank=True)
    return_interview_offered = models.BooleanField(default=False)
    return_interview_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on:%d/%m/%Y}"

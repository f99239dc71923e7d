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
    status = FSMField(default=Status.LOOKED_AFTER, choices=Status.choices, protected=True)
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
    # SSDA903 PrevPerm: a permanence order the child had before this period (Z1 none);
    # blank until asked, which the return sends as P4 (unknown).
    previous_permanence = models.CharField(
        max_length=2, choices=codes.PreviousPermanence.choices, blank=True
    )
    previous_permanence_la = models.CharField("LA that made the order", max_length=9, blank=True)
    previous_permanence_on = models.DateField("Date of the order", null=True, blank=True)
    # SSDA903 Header MOTHER / MC_DOB: whether a looked-after girl is herself a mother.
    is_mother = models.BooleanField(null=True, blank=True)
    first_child_born_on = models.DateField("Her first child's date of birth", null=True, blank=True)

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


class CareLeaver(CaseRecord):
    """A young person the authority owes leaving-care duties (Children (Leaving Care) Act).

    Eligibility comes from the care history (``care.leavers.eligibility``); the pathway
    plan's next review is stored so the worktray and lists filter on it in SQL.
    """

    child = models.OneToOneField(
        "casework.Child", on_delete=models.PROTECT, related_name="care_leaver"
    )
    worker = models.ForeignKey(
        "casework.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    eligibility = models.CharField(max_length=16, choices=codes.LeaverEligibility.choices)
    personal_adviser = models.CharField(max_length=120, blank=True)
    pathway_plan_on = models.DateField("Pathway plan agreed", null=True, blank=True)
    next_pathway_review_due_on = models.DateField(null=True, blank=True, db_index=True)
    staying_put_from = models.DateField("Staying put from", null=True, blank=True)
    staying_put_to = models.DateField("Staying put until", null=True, blank=True)

    def __str__(self) -> str:
        return f"Care leaver ({self.get_eligibility_display()})"


class PathwayPlanReview(CaseRecord):
    leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField(null=True, blank=True)
    held_on = models.DateField(db_index=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Pathway plan review {self.held_on:%d/%m/%Y}"


class LeaverContact(CaseRecord):
    """Contact with a care leaver; the one nearest a 17th-21st birthday is the OC3 row."""

    leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="contacts")
    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField(db_index=True)
    # The birthday this contact reports on (17-21) and its date, blank for other contacts;
    # stored so the OC3 table and the care-leaver KPIs select on them in SQL.
    birthday_age = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_on = models.DateField(null=True, blank=True, db_index=True)
    in_touch = models.CharField(max_length=4, choices=codes.InTouch.choices)
    activity = models.CharField(max_length=2, choices=codes.LeaverActivity.choices, blank=True)
    accommodation = models.CharField(
        max_length=2, choices=codes.LeaverAccommodation.choices, blank=True
    )

    class Meta:
        ordering = ["-contacted_on"]
        indexes = [models.Index(fields=["child", "birthday_age"])]

    def __str__(self) -> str:
        return f"Care leaver contact {self.contacted_on:%d/%m/%Y}"


class AdoptionPlan(CaseRecord):
    """From the decision that the child should be placed for adoption to the adoption order
    or the decision's reversal (SSDA903 PlacedAdoption and AD1)."""

    class Status(models.TextChoices):
        DECIDED = "decided", "Should be placed for adoption"
        MATCHED = "matched", "Matched with adopters"
        PLACED = "placed", "Placed for adoption"
        ADOPTED = "adopted", "Adopted"
        REVERSED = "reversed", "Decision reversed"

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="adoption_plans"
    )
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="adoption_plans")
    status = FSMField(default=Status.DECIDED, choices=Status.choices, protected=True)
    decided_on = models.DateField("Decision to place for adoption", db_index=True)
    placement_order_on = models.DateField("Placement order", null=True, blank=True)
    matched_on = models.DateField("Matched with adopters", null=True, blank=True)
    placed_on = models.DateField("Placed with adopters", null=True, blank=True)
    adopted_on = models.DateField("Adoption order", null=True, blank=True)
    reversed_on = models.DateField("Decision reversed", null=True, blank=True)
    reversal_reason = models.CharField(
        max_length=3, choices=codes.AdoptionReversal.choices, blank=True
    )
    with_foster_carer = models.BooleanField("Adopted by the child's foster carer", default=False)
    adopters_number = models.PositiveSmallIntegerField(null=True, blank=True)
    adopters_sex = models.CharField(max_length=2, choices=codes.AdopterSex.choices, blank=True)
    adopters_legal_status = models.CharField(
        max_length=3, choices=codes.AdopterLegalStatus.choices, blank=True
    )
    # The approved adopters the child was matched with, when recorded as people.
    adopters = models.ForeignKey(
        "care.AdopterHousehold", null=True, blank=True, on_delete=models.PROTECT,
        related_name="plans",
    )  # fmt: skip

    class Meta:
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return f"Adoption plan from {self.decided_on:%d/%m/%Y}"

    @transition(field=status, source=Status.DECIDED, target=Status.MATCHED)
    def match(self):
        """Matched with adopters."""

    @transition(field=status, source=Status.MATCHED, target=Status.PLACED)
    def place(self):
        """Moved in with the adopters."""

    @transition(field=status, source=Status.PLACED, target=Status.ADOPTED)
    def adopt(self):
        """Adoption order made."""

    @transition(field=status, source=[Status.DECIDED, Status.MATCHED], target=Status.REVERSED)
    def reverse(self):
        """The decision that the child should be placed for adoption was reversed."""


class AdopterHousehold(CaseRecord):
    """Prospective adopters (one or two people, a family) through the agency's process:
    enquiry, stage 1 (pre-assessment), application, stage 2 (assessment) and approval, then
    matches with children (``AdoptionPlan.adopters``), or leaving the process. Annex A
    list 11 has a row per adopter."""

    reference = models.CharField("Family ID", max_length=20, unique=True)
    enquiry_on = models.DateField("Date of initial enquiry", db_index=True)
    stage1_started_on = models.DateField("Stage 1 started", null=True, blank=True)
    stage1_ended_on = models.DateField("Stage 1 ended", null=True, blank=True)
    applied_on = models.DateField("Date of application", null=True, blank=True)
    stage2_started_on = models.DateField("Stage 2 started", null=True, blank=True)
    stage2_ended_on = models.DateField("Stage 2 ended", null=True, blank=True)
    approved_on = models.DateField("Date of approval", null=True, blank=True)
    # A couple's legal status (AD1 LS_ADOPTR); L0 for a single adopter.
    legal_status = models.CharField(
        max_length=3, choices=codes.AdopterLegalStatus.choices, default=codes.AdopterLegalStatus.L0
    )
    fostering_for_adoption = models.BooleanField(
        "Approved for fostering for adoption", default=False
    )
    left_on = models.DateField("Date left the process", null=True, blank=True)
    left_reason = models.CharField(
        max_length=1, choices=codes.AdopterLeftReason.choices, blank=True
    )

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"Adopters {self.reference}"


class Adopter(CaseRecord):
    household = models.ForeignKey(
        AdopterHousehold, on_delete=models.PROTECT, related_name="adopters"
    )
    reference = models.CharField("Adopter ID", max_length=24, unique=True)
    sex = models.CharField(max_length=1, choices=[("M", "Male"), ("F", "Female")])
    ethnicity = models.CharField(max_length=4, blank=True)
    disabled = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"Adopter {self.reference}"

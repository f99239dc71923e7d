"""The front door: contacts about children, their screening, and referrals.

A referral is per child and starts a child-in-need (CIN) episode; the episode closes
with a date and a census reason code (RC1-RC9).
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from casework.codes import ClosureReason, PrimaryNeed, ReferralSource
from casework.models.base import CaseRecord, Deadline, scope_column


class ScreeningDecision(models.TextChoices):
    NFA = "nfa", "No further action"
    ADVICE = "advice", "Advice and signposting"
    EARLY_HELP = "early_help", "Early help"
    REFERRAL = "referral", "Referral to children's social care"
    EXISTING_CASE = "existing_case", "Existing open case"


class Contact(CaseRecord):
    class Status(models.TextChoices):
        AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
        DECIDED = "decided", "Decided"

    received_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    reason = models.TextField()
    # Why the contact came in, as census factor codes (domestic abuse 3A-3C, drug misuse
    # 2A-2C, going missing 10A, ...): the front-door measures count reasons by these.
    reason_codes = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(default=Status.AWAITING_DECISION, choices=Status.choices, protected=True)
    screening_due_on = models.DateField(
        help_text="Under the authority's screening standard (casework.timescales)"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "screening_due_on"])]

    def __str__(self) -> str:
        return f"Contact {self.pk} received {self.received_at:%d/%m/%Y %H:%M}"

    @transition(field=status, source=Status.AWAITING_DECISION, target=Status.DECIDED)
    def decide(self):
        """Screening decision recorded for every child on the contact."""

    def deadline_status(self, today):
        decided_on = self.decided_at.date() if self.decided_at else None
        return Deadline.status(due_on=self.screening_due_on, done_on=decided_on, today=today)


class ContactChild(models.Model):
    """One child on a contact. KPIs count these rows: children, not families."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="contacts")
    decision = models.CharField(
        max_length=20, choices=ScreeningDecision.choices, blank=True, db_index=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "child"], name="child_once_per_contact")
        ]

    def __str__(self) -> str:
        return f"{self.child} on contact {self.contact_id}"


class Referral(CaseRecord):
    """A referral for one child: the start of a CIN episode."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="referrals")
    contact_child = models.OneToOneField(
        ContactChild, null=True, blank=True, on_delete=models.PROTECT, related_name="referral"
    )
    referred_on = models.DateField("Referral date", db_index=True)
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    nfa = models.BooleanField(
        "Referral NFA",
        default=False,
        help_text="No further action at referral: no assessment follows.",
    )
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    status = FSMField(default=Status.OPEN, choices=Status.choices, protected=True)
    closed_on = models.DateField("Closure date", null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set once the Child and Family assessment is due: 45 working days from referral.
    assessment_due_on = models.DateField(null=True, blank=True)

    # The scope stored on the event (casework.scope): who answers for it on referred_on.
    scope_team_id = scope_column("team")
    scope_worker_id = scope_column("worker")

    class Meta:
        ordering = ["-referred_on"]
        indexes = [
            models.Index(fields=["child", "referred_on"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(status="open", entered_in_error=False),
                name="one_open_episode_per_child",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(closed_on__isnull=True, closure_reason="")
                    | (models.Q(closed_on__isnull=False) & ~models.Q(closure_reason=""))
                ),
                name="closure_date_and_reason_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.referred_on:%d/%m/%Y} for {self.child}"

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
    def close(self):
        """CIN episode closed with a date and reason."""

    @transition(field=status, source=Status.CLOSED, target=Status.OPEN)
    def reopen(self):
        """Closure undone (e.g. a referral reopened the same day)."""

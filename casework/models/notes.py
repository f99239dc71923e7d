"""Case notes: the narrative record of work with a child, on the child's chronology."""

from django.conf import settings
from django.db import models

from casework.models.base import CaseRecord


class CaseNoteKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office or school visit"
    PHONE = "phone", "Telephone call"
    MEETING = "meeting", "Meeting with professionals"
    DIRECT_WORK = "direct_work", "Direct work with the child"
    MANAGEMENT = "management", "Management oversight"
    OTHER = "other", "Other"

    @classmethod
    def visits(cls) -> set[str]:
        """Kinds where the child may be seen, so seen / seen alone are recorded."""
        return {cls.HOME_VISIT, cls.OFFICE_VISIT, cls.DIRECT_WORK}


class CaseNote(CaseRecord):
    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="notes")
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notes",
        help_text="The episode open when the note was written, if any",
    )
    kind = models.CharField(max_length=20, choices=CaseNoteKind.choices)
    occurred_on = models.DateField(db_index=True)
    # Only for kinds where the child may be seen (CaseNoteKind.visits); None otherwise.
    child_seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["child", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"

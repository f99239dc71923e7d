"""What every case record shares: history, optimistic-concurrency version, entered in error.

Case records are never deleted. A record entered in error is marked so, with a reason,
and drops out of lists, KPIs and returns (``CaseRecordQuerySet.current()``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_fsm import FSMFieldMixin, FSMModelMixin
from simple_history.models import HistoricalRecords


class CaseRecordQuerySet(models.QuerySet):
    def current(self):
        """Records that count: everything not marked as entered in error."""
        return self.filter(entered_in_error=False)

    def delete(self):  # pragma: no cover - guard rail, never a code path
        raise PermissionError("Case records are never deleted: mark them entered in error.")


class CaseRecord(FSMModelMixin, models.Model):
    # FSMModelMixin: a record's status is protected (only its declared transitions set it),
    # and the mixin lets refresh_from_db reload it all the same.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Incremented by every service write; a form or API update carrying an older
    # version is refused with a conflict instead of silently overwriting.
    version = models.PositiveIntegerField(default=1)
    entered_in_error = models.BooleanField(default=False, db_index=True)
    entered_in_error_reason = models.TextField(blank=True)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(inherit=True)
    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise PermissionError("Case records are never deleted: mark them entered in error.")

    def clean_fields(self, exclude=None):
        """Django's field cleaning assigns each cleaned value back, which a protected status
        refuses: check the status's value without assigning it."""
        exclude = set(exclude or ())
        statuses = [
            f
            for f in self._meta.concrete_fields
            if isinstance(f, FSMFieldMixin) and f.protected and f.name not in exclude
        ]
        errors = {}
        try:
            super().clean_fields(exclude=exclude | {f.name for f in statuses})
        except ValidationError as error:
            errors = error.error_dict
        for field in statuses:
            try:
                field.clean(getattr(self, field.attname), self)
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


def scope_column(what: str) -> models.IntegerField:
    """The team or worker id an event is attributed to, stored on its row and written
    only by ``casework.scope.restamp_scope`` (null: the episode was never allocated)."""
    return models.IntegerField(
        null=True, blank=True, editable=False,
        help_text=f"The {what} allocated on the event date (casework.scope)",
    )  # fmt: skip


class Deadline:
    """Due / due soon / overdue / met / missed, from a stored due date and the clock."""

    DUE = "due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MISSED = "missed"
    LABELS = {
        DUE: "Due",
        DUE_SOON: "Due soon",
        OVERDUE: "Overdue",
        MET: "Met",
        MISSED: "Missed",
    }
    # Working days left at which a step counts as "due soon".
    SOON_WORKING_DAYS = 3

    @classmethod
    def status(cls, *, due_on, done_on, today=None) -> str | None:
        """A step done by its due date is met, after it missed; an open one is due, due
        soon (within ``SOON_WORKING_DAYS`` working days, the due date itself included)
        or overdue (the day after the due date). ``today`` defaults to the local date.
        """
        from casework.calendar import working_days_between

        if today is None:
            today = timezone.localdate()
        if due_on is None:
            return None
        if done_on is not None:
            return cls.MET if done_on <= due_on else cls.MISSED
        if today > due_on:
            return cls.OVERDUE
        if working_days_between(today, due_on) <= cls.SOON_WORKING_DAYS:
            return cls.DUE_SOON
        return cls.DUE

"""The working-day calendar table. Built by ``casework.calendar.calendar_rebuild``."""

from django.db import models


class WorkingDay(models.Model):
    """One calendar date, 2000-2045.

    ``ordinal`` is the running count of working days up to and including this date, so
    the working days between two dates is a subtraction of ordinals, in Python or SQL.
    """

    date = models.DateField(primary_key=True)
    is_working_day = models.BooleanField()
    ordinal = models.PositiveIntegerField(db_index=True)
    holiday = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "working day" if self.is_working_day else (self.holiday or "weekend")
        return f"{self.date} ({kind})"

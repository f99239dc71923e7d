"""What ``generate_authority`` built, so ``load_demo`` can tell a demo whose present has gone by."""

from django.db import models
from django.utils import timezone


class GeneratedHistory(models.Model):
    """One row per generated authority: its scale, seed and the days it covers.

    ``through`` is the last day of generated history, the demo's "today": open cases, due
    visits and overdue steps are as they stand on that day. A council's own data (set up
    or imported) has no row, so nothing ever regenerates it.
    """

    scale = models.CharField(max_length=20)
    seed = models.IntegerField()
    started_on = models.DateField()
    through = models.DateField(help_text="Last day of generated history (the demo's present)")
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "generated histories"

    def __str__(self) -> str:
        return f"{self.scale} authority (seed {self.seed}) through {self.through:%d %B %Y}"

"""The KPI page's comparators and the forecast's records at risk (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html

from casework.tables import NUM, GovukTable


class SmallTable(GovukTable):
    """A table under its section's heading: the caption is for screen readers only."""

    caption_hidden = True

    class Meta:
        orderable = False

    def __init__(self, rows, *, caption: str):
        self.caption = caption
        super().__init__(rows)


class ComparatorTable(SmallTable):
    row_headers = True
    comparator = tables.Column("Comparator", accessor="label", empty_values=())
    value = tables.Column("Value", attrs=NUM)
    source = tables.Column("Source")

    def render_comparator(self, record):
        return f"{record.label} ({record.get_kind_display()})"

    def render_value(self, value):
        return floatformat(value, "-1")


class AtRiskTable(SmallTable):
    """Each record at risk with its child where the user may see them (None: not named)."""

    due = tables.Column("Due", accessor="risk__due_on")
    days = tables.Column("Working days left", accessor="risk__working_days_left", attrs=NUM)
    step = tables.Column("Step", accessor="risk__step")
    child = tables.Column("Child", empty_values=())

    def __init__(self, rows, **kwargs):
        super().__init__([{"risk": risk, "child": child} for risk, child in rows], **kwargs)

    def render_due(self, value):
        return f"{value:%-d %b %Y}"

    def render_child(self, value):
        if value is None:
            return "Not shown"
        url = reverse("child", args=[value.pk])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value.full_name)

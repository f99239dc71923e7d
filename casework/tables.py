"""django-tables2 tables for the daily-work pages (rendered by tables/govuk_table.html)."""

from __future__ import annotations

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html

from casework.models import Deadline

TAG_COLOURS = {
    Deadline.OVERDUE: "red",
    Deadline.MISSED: "red",
    Deadline.DUE_SOON: "orange",
    Deadline.DUE: "blue",
    Deadline.MET: "green",
}
NUM = {
    "th": {"class": "govuk-table__header--numeric"},
    "td": {"class": "govuk-table__cell--numeric"},
}


def deadline_tag(status: str | None):
    if not status:
        return ""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        TAG_COLOURS.get(status, "grey"),
        Deadline.LABELS[status],
    )


def working_days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "Due today"
    if days < 0:
        n = -days
        return f"{n} working day{'s' if n != 1 else ''} overdue"
    return f"{days} working day{'s' if days != 1 else ''} left"


def child_link(child):
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>',
        reverse("child", args=[child.pk]),
        child.full_name,
    )


def sorts_in_sql(queryset: QuerySet, accessor: str) -> bool:
    """Whether ``?sort=`` on this accessor is an ORDER BY the database can run on one row
    per record: a concrete field (through foreign keys) or an annotation. A computed
    column (working days left, an action link) or a reverse relation is not."""
    parts = str(accessor).replace(".", "__").split("__")
    if parts[0] in queryset.query.annotations:
        return len(parts) == 1
    opts = queryset.model._meta
    for i, part in enumerate(parts):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.concrete or field.many_to_many or field.one_to_many:
            return False
        if field.is_relation and i < len(parts) - 1:
            opts = field.related_model._meta
        elif i < len(parts) - 1:
            return False
    return True


class GovukTable(tables.Table):
    caption = ""
    row_headers = False

    class Meta:
        orderable = False
        per_page = 50

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Subclasses are sortable by default (django-tables2 does not inherit Meta): a
        # column the database cannot sort on offers no sort link and ignores ?sort=,
        # instead of failing with a FieldError. Give such a column order_by= to sort it.
        queryset = getattr(self.data, "data", None)
        if isinstance(queryset, QuerySet):
            for bound in self.columns.iterall():
                column = bound.column
                if column.order_by is None and not sorts_in_sql(queryset, bound.accessor):
                    column.orderable = False


class WorktrayTable(GovukTable):
    child = tables.Column(verbose_name="Child")
    kind_label = tables.Column(verbose_name="Step")
    due_on = tables.DateColumn(verbose_name="Due", format="j M Y")
    working_days = tables.Column(verbose_name="Working days", empty_values=())
    status = tables.Column(verbose_name="Status")

    def render_child(self, value):
        return child_link(value)

    def render_kind_label(self, value, record):
        if record.detail:
            return format_html(
                '{}<br><span class="govuk-hint govuk-!-margin-0">{}</span>', value, record.detail
            )
        return value

    def render_working_days(self, value):
        return working_days_text(value)

    def render_status(self, value):
        return deadline_tag(value)


class CaseloadTable(GovukTable):
    worker = tables.Column(verbose_name="Worker")
    fte = tables.Column(verbose_name="FTE", accessor="worker__fte", attrs=NUM)
    children = tables.Column(verbose_name="Children", attrs=NUM)
    per_fte = tables.Column(verbose_name="Children per FTE", attrs=NUM)
    weighted = tables.Column(verbose_name="Weighted caseload", attrs=NUM)
    limit = tables.Column(verbose_name="Protected limit", empty_values=(), attrs=NUM)
    flagged = tables.Column(verbose_name="Status", empty_values=())
    row_headers = True

    def render_worker(self, value):
        if value.newly_qualified:
            return format_html('{} <span class="govuk-hint">(newly qualified)</span>', value)
        return str(value)

    def render_limit(self, value):
        return value if value is not None else "None"

    def render_flagged(self, record):
        tag = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'
        if record.over_limit:
            return format_html(tag, "red", "Over protected limit")
        if record.over_threshold:
            return format_html(tag, "red", "Over threshold")
        if record.at_limit:
            # Full, not over: allocating one more is refused (casework.services.allocation).
            return format_html(tag, "orange", "At protected limit")
        return format_html(tag, "green", "Within threshold")


class ChildSearchTable(GovukTable):
    name = tables.Column(verbose_name="Name", accessor="last_name")
    la_child_id = tables.Column(verbose_name="LA child ID")
    date_of_birth = tables.DateColumn(verbose_name="Date of birth", format="j M Y")

    def render_name(self, record):
        return child_link(record)

    def render_date_of_birth(self, value, record):
        return value.strftime("%-d %b %Y") if value else "Unborn"


class AssessmentQueueTable(GovukTable):
    child = tables.Column(verbose_name="Child")
    worker = tables.Column(verbose_name="Worker", default="Not recorded")
    submitted_on = tables.DateColumn(verbose_name="Submitted", format="j M Y")
    due_on = tables.DateColumn(verbose_name="Due (45 working days)", format="j M Y")
    caption = "Assessments awaiting authorisation"

    def render_child(self, value):
        return child_link(value)


class S47QueueTable(GovukTable):
    child = tables.Column(verbose_name="Child")
    outcome = tables.Column(verbose_name="Outcome")
    started_on = tables.DateColumn(verbose_name="Started", format="j M Y")
    icpc_due_on = tables.DateColumn(verbose_name="ICPC due", format="j M Y")
    action = tables.Column(verbose_name="Action", accessor="pk", empty_values=())
    caption = "Section 47 outcomes awaiting sign-off"

    def render_child(self, value):
        return child_link(value)

    def render_action(self, value, record):
        return format_html(
            '<a class="govuk-link" href="{}">Sign off or return'
            '<span class="govuk-visually-hidden"> the outcome for {}</span></a>',
            reverse("s47_step", args=[value, "sign-off"]),
            record.child.full_name,
        )

"""django-tables2 tables for the daily-work pages (rendered by tables/govuk_table.html)."""

from __future__ import annotations

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from casework.calendar import CalendarRangeError, working_days_between
from casework.models import Deadline
from casework.timescales import ASSESSMENT_WORKING_DAYS

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


def deadline_tag(status: str | None, label: str | None = None):
    """A deadline status as a GOV.UK tag: the one place its colour is chosen (tables, and
    pages through the ``deadline_tag`` filter). ``label`` replaces the status's words."""
    if not status:
        return ""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        TAG_COLOURS.get(status, "grey"),
        label or Deadline.LABELS[status],
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


def time_left_text(*, days: int | None, status: str | None, due_on=None) -> str:
    """Time left beside a status tag, never contradicting it: both come from the same due
    date and day (``Deadline.status``). After a due date that fell before a weekend or
    bank holiday no working day may have passed yet, but the step is overdue all the same.
    """
    if status == Deadline.OVERDUE and (days is None or days >= 0):
        return f"Overdue since {due_on:%-d %b %Y}" if due_on else "Overdue"
    if status == Deadline.OVERDUE or days is None or days != 0:
        return working_days_text(days)
    return "Due today"


def deadline_cell(due_on, today=None):
    """Status tag and time left for an open step due on ``due_on`` (one rule)."""
    today = today or timezone.localdate()
    try:
        status = Deadline.status(due_on=due_on, done_on=None, today=today)
        days = working_days_between(today, due_on)
    except CalendarRangeError:
        return ""
    return format_html(
        "{}<br>{}", deadline_tag(status), time_left_text(days=days, status=status, due_on=due_on)
    )


def step_link(url: str, text: str, hidden: str = ""):
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
        url,
        text,
        hidden,
    )


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


MAX_PER_PAGE = 100


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

    def paginate(self, *args, per_page=None, **kwargs):
        # ?per_page= comes from the address bar: a page keeps between 1 and MAX_PER_PAGE
        # rows (a negative one made django-tables2's own fallback raise: a 500; a huge one
        # rendered every row of an authority).
        if per_page is not None:
            per_page = min(max(per_page, 1), MAX_PER_PAGE)
        return super().paginate(*args, per_page=per_page, **kwargs)


class WorktrayTable(GovukTable):
    child = tables.Column(verbose_name="Child")
    kind_label = tables.Column(verbose_name="Step")
    due_on = tables.DateColumn(verbose_name="Due", format="j M Y")
    working_days = tables.Column(verbose_name="Working days", empty_values=())
    status = tables.Column(verbose_name="Status")
    action = tables.Column(verbose_name="Action", empty_values=())

    def render_child(self, value):
        return child_link(value)

    def render_kind_label(self, value, record):
        if record.detail:
            return format_html(
                '{}<br><span class="govuk-hint govuk-!-margin-0">{}</span>', value, record.detail
            )
        return value

    def render_working_days(self, value, record):
        return time_left_text(days=value, status=record.status, due_on=record.due_on)

    def render_status(self, value):
        return deadline_tag(value)

    def render_action(self, record):
        return step_link(record.url, "Record", f"{record.kind_label} for {record.child.full_name}")


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


class AllocationCandidatesTable(GovukTable):
    """The allocation page's candidates: compact, sortable by children per FTE, and each
    row saying whether the worker can take a child and why (threshold, protected caseload).
    Rows arrive most room first (``WorkerCaseload.capacity_order``) until sorted."""

    worker = tables.Column(verbose_name="Worker", orderable=False)
    children = tables.Column(verbose_name="Children", attrs=NUM, orderable=False)
    per_fte = tables.Column(verbose_name="Children per FTE", attrs=NUM)
    choice = tables.Column(verbose_name="Can take a child?", empty_values=(), orderable=False)
    row_headers = True

    class Meta:
        attrs = {"class": "govuk-table--small-text-until-tablet"}

    def render_worker(self, value):
        return format_html('{} <span class="govuk-hint">({} FTE)</span>', value, value.fte)

    def render_choice(self, record):
        tag, why = _candidate_choice(record)
        colour, label = tag
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong> {}', colour, label, why
        )


def _candidate_choice(load) -> tuple[tuple[str, str], str]:
    """(tag colour, tag text), and the reason in words, for one candidate."""
    limit, children = load.limit, load.children
    threshold = f"{load.fte_threshold.normalize():f}"
    if load.away_until is not None:
        return ("grey", "On leave"), f"on leave until {load.away_until:%-d %b %Y}"
    if load.over_limit:
        return ("red", "Over protected limit"), f"newly qualified: {children} of {limit}"
    if load.at_limit:
        return ("orange", "At protected limit"), (
            f"newly qualified: {children} of {limit}, cannot take another child"
        )
    if load.over_threshold:
        return ("red", "Over threshold"), f"{children} children, threshold {threshold} at this FTE"
    if limit is not None:
        return ("blue", "Protected"), f"newly qualified: room for {limit - children} more"
    return ("green", "Within threshold"), f"{children} of {threshold} at this FTE"


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
    due_on = tables.DateColumn(
        verbose_name=f"Due ({ASSESSMENT_WORKING_DAYS} working days)", format="j M Y"
    )
    deadline = tables.Column(verbose_name="Status", accessor="due_on", empty_values=())
    action = tables.Column(verbose_name="Action", accessor="pk", empty_values=())
    caption = "Assessments awaiting authorisation"

    def render_deadline(self, value):
        return deadline_cell(value)

    def render_child(self, value):
        return child_link(value)

    def render_action(self, value, record):
        return step_link(
            reverse("assessment_decision", args=[value]),
            "Authorise or return",
            f"the assessment for {record.child.full_name}",
        )


class S47QueueTable(GovukTable):
    child = tables.Column(verbose_name="Child")
    outcome = tables.Column(verbose_name="Outcome")
    started_on = tables.DateColumn(verbose_name="Started", format="j M Y")
    icpc_due_on = tables.DateColumn(verbose_name="ICPC due", format="j M Y")
    deadline = tables.Column(verbose_name="Status", accessor="icpc_due_on", empty_values=())
    action = tables.Column(verbose_name="Action", accessor="pk", empty_values=())
    caption = "Section 47 outcomes awaiting sign-off"

    def render_deadline(self, value):
        return deadline_cell(value)

    def render_child(self, value):
        return child_link(value)

    def render_action(self, value, record):
        return step_link(
            reverse("s47_decision", args=[value]),
            "Sign off or return",
            f"the outcome for {record.child.full_name}",
        )


def _short_date(value) -> str:
    return value.strftime("%-d %b %Y") if value else ""


class MyCaseloadTable(GovukTable):
    """Every child allocated to the worker (``casework.selectors.my_caseload``)."""

    child = tables.Column(verbose_name="Child")
    referred_on = tables.Column(verbose_name="Episode from", empty_values=())
    status = tables.Column(verbose_name="Status")
    plan = tables.Column(verbose_name="Plan")
    next_step = tables.Column(verbose_name="Next step due", empty_values=())
    time_left = tables.Column(verbose_name="Working days", empty_values=())
    next_visit_due_on = tables.Column(verbose_name="Next CP visit due", empty_values=())
    last_seen_on = tables.Column(verbose_name="Last seen", empty_values=())
    note = tables.Column(verbose_name="Action", empty_values=())
    caption = "My caseload"
    row_headers = True

    def render_note(self, record):
        url = reverse("case_note_new", args=[record.child.pk]) + "?from=my-work"
        return step_link(url, "Case note", f"for {record.child.full_name}")

    def render_child(self, value):
        return child_link(value)

    def render_referred_on(self, value):
        return _short_date(value) or "No open episode"

    def render_next_step(self, value, record):
        if value is None:
            return "Nothing due"
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> for {}'
            "</span></a><br>{} {}",
            value.url,
            value.kind_label,
            record.child.full_name,
            _short_date(value.due_on),
            deadline_tag(value.status),
        )

    def render_time_left(self, record):
        step = record.next_step
        if step is None:
            return ""
        return time_left_text(days=step.working_days, status=step.status, due_on=step.due_on)

    def render_next_visit_due_on(self, value):
        return _short_date(value)

    def render_last_seen_on(self, value):
        return _short_date(value) or "Not seen"

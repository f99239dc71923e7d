"""The workforce pages' lists (django-tables2, rendered by tables/govuk_table.html).

As on the KPI pages (``metrics.tables``), a table is also its download: the page's columns
are ``exclude_from_export``, the download's are hidden on the page and carry raw values
(every cell through ``metrics.exports.safe``). A team's establishment (each post with a
nested list of its contracts) and the audits' open actions (a form in each row) stay
hand-written in their templates.
"""

from __future__ import annotations

import django_tables2 as tables
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from casework.models import Deadline
from casework.tables import NUM, GovukTable, deadline_tag
from metrics.tables import FigureColumn, export_column, page_column
from workforce import selectors
from workforce.templatetags.workforce_tags import percent


def _day(value) -> str:
    return f"{value:%-d %b %Y}"


def _overdue_tag(due_on, today):
    # Never supervised counts as overdue; the tag's colour is casework.tables.deadline_tag's.
    if due_on is None or due_on < today:
        return format_html("{} ", deadline_tag(Deadline.OVERDUE))
    return ""


class WorkforceTable(GovukTable):
    """Lists in the order their selector gives (no sort links, as before)."""

    class Meta:
        orderable = False

    def __init__(self, rows, *, today, caption: str, empty_text: str, **kwargs):
        self.today, self.caption = today, caption
        super().__init__(rows, empty_text=empty_text, **kwargs)


class StaffSupervisionTable(WorkforceTable):
    shown_worker = page_column("Worker", "last_name")
    last = page_column("Last supervision", "last_held", default="Never")
    due = page_column("Next due")
    action = page_column(mark_safe('<span class="govuk-visually-hidden">Actions</span>'))
    staff_id = export_column("staff_id", "staff_id")
    worker = export_column("worker", "full_name")
    last_held = export_column("last_supervision", "last_held")
    next_due = export_column("next_due", "next_due")

    class Meta:
        orderable = False

    def render_shown_worker(self, record):
        if record.newly_qualified:
            asye = '<strong class="govuk-tag govuk-tag--blue">ASYE</strong>'
            return format_html("{} " + asye, record)
        return str(record)

    def render_last(self, value):
        return _day(value)

    def render_due(self, record):
        shown = _day(record.next_due) if record.next_due else ""
        return format_html("{}{}", _overdue_tag(record.next_due, self.today), shown)

    def render_action(self, record):
        url = reverse("workforce:worker_supervision_new", args=[record.pk])
        hidden = '<span class="govuk-visually-hidden"> of {}</span>'
        return format_html('<a class="govuk-link" href="{}">Record supervision' + hidden + "</a>",
                           url, record)  # fmt: skip


class CaseSupervisionTable(WorkforceTable):
    shown_child = page_column("Child", "child")
    shown_worker = page_column("Worker", "worker")
    was_due = page_column("Was due", "next_due", default="Never supervised")
    la_child_id = export_column("la_child_id", "child__la_child_id")
    child = export_column("child", "child__full_name")
    worker = export_column("worker", "worker__full_name")
    next_due = export_column("was_due", "next_due")

    class Meta:
        orderable = False

    def render_shown_child(self, value):
        url = reverse("child", args=[value.pk]) + "#supervision"
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value.full_name)

    def render_was_due(self, value):
        return _day(value)


class AuditTable(WorkforceTable):
    shown_child = page_column("Child", "child")
    shown_team = page_column("Team", "team")
    shown_status = page_column("Status")
    shown_grade = page_column("Grade", default="")
    steps = page_column("Actions", default="")
    la_child_id = export_column("la_child_id", "child__la_child_id")
    child = export_column("child", "child__full_name")
    team = export_column("team", "team__name")
    sample_month = export_column("sample_month", "sample_month")
    status = export_column("status")
    audited_on = export_column("audited_on", "audited_on")
    grade = export_column("grade")
    moderated_grade = export_column("moderated_grade")
    findings = export_column("findings", "findings")

    class Meta:
        orderable = False

    def __init__(self, rows, *, user, **kwargs):
        self.user = user
        super().__init__(rows, **kwargs)

    def render_shown_child(self, record):
        url = reverse("child", args=[record.child_id])
        sample = ""
        if record.sample_month:
            hint = ' <span class="govuk-hint govuk-!-display-inline">sample {}</span>'
            sample = format_html(hint, f"{record.sample_month:%b %Y}")
        return format_html('<a class="govuk-link" href="{}">{}</a>{}', url,
                           record.child.full_name, sample)  # fmt: skip

    def render_shown_status(self, record):
        day = f" {_day(record.audited_on)}" if record.audited_on else ""
        return f"{record.get_status_display()}{day}"

    def render_shown_grade(self, record):
        if record.moderated_grade:
            moderated = record.get_moderated_grade_display()
            return f"{record.get_grade_display()} (moderated: {moderated})"
        return record.get_grade_display()

    def render_steps(self, record):
        steps = selectors.audit_steps(record, self.user)
        link = ('<a class="govuk-link" href="{}">{}'
                '<span class="govuk-visually-hidden"> {}</span></a>')  # fmt: skip
        name = record.child.full_name
        return format_html_join(" · ", link, ((s.url, s.label, name) for s in steps))

    def value_status(self, record):
        return record.get_status_display()

    def value_grade(self, record):
        return record.get_grade_display()

    def value_moderated_grade(self, record):
        return record.get_moderated_grade_display()


class MeasureColumn(tables.Column):
    """A team figure on the page, right-aligned and marked with its measure (the browser
    test reads a cell by ``data-measure``)."""

    def __init__(self, header: str, measure: str, *, accessor: str | None = None, shown=percent):
        self.measure, self.shown = measure, shown
        super().__init__(header, accessor=accessor or f"rates__{measure}", attrs=NUM,
                         exclude_from_export=True, empty_values=())  # fmt: skip

    def render(self, value):
        return format_html('<span data-measure="{}">{}</span>', self.measure, self.shown(value))


class WorkforceFiguresTable(GovukTable):
    """The workforce page's teams and the authority: establishment, rates and capacity."""

    caption = "Establishment, staff in post and capacity"
    row_headers = True
    shown_team = page_column("Team", "name")
    shown_establishment = FigureColumn("Establishment FTE", "establishment", digits=2)
    shown_in_post = FigureColumn("FTE in post", "in_post", digits=2)
    vacancy = MeasureColumn("Vacancy rate", "vacancy_rate")
    agency = MeasureColumn("Agency rate", "agency_rate")
    turnover = MeasureColumn("Turnover (12 months)", "turnover_rate_12m")
    absence = MeasureColumn("Sickness absence (12 months)", "absence_rate")
    newly_qualified = MeasureColumn("Newly qualified", "newly_qualified_share")
    span = FigureColumn("Span of control", "rates__span_of_control", digits=1)
    per_fte = FigureColumn("Children per case-holding FTE", "caseload_per_fte", digits=1)
    needed = MeasureColumn("Social workers needed (FTE)", "workers_needed",
                           accessor="workers_needed", shown=str)  # fmt: skip
    team = export_column("team", "name")
    establishment_fte = export_column("establishment_fte", "establishment")
    fte_in_post = export_column("fte_in_post", "in_post")
    vacancy_rate = export_column("vacancy_rate", "rates__vacancy_rate")
    agency_rate = export_column("agency_rate", "rates__agency_rate")
    turnover_rate_12m = export_column("turnover_rate_12m", "rates__turnover_rate_12m")
    absence_rate = export_column("absence_rate", "rates__absence_rate")
    newly_qualified_share = export_column("newly_qualified_share", "rates__newly_qualified_share")
    span_of_control = export_column("span_of_control", "rates__span_of_control")
    caseload_per_fte = export_column("caseload_per_fte", "caseload_per_fte")
    workers_needed = export_column("workers_needed", "workers_needed")

    class Meta:
        orderable = False

    def render_shown_team(self, record):
        if record.team is None:
            return record.name
        url = reverse("workforce:team", args=[record.team.pk])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.name)


class AuditResultsTable(GovukTable):
    """Completed audits good or better, by team or by theme: rows of (name, [good, all])."""

    row_headers = True
    name = tables.Column(accessor="0")
    good = tables.Column("Good or better", accessor="1__0", attrs=NUM)
    total = tables.Column(accessor="1__1", attrs=NUM)

    class Meta:
        orderable = False

    def __init__(self, rows, *, caption: str, name: str, total: str):
        self.caption = caption
        super().__init__(rows, empty_text="No completed audits.")
        self.columns["name"].column.verbose_name = name
        self.columns["total"].column.verbose_name = total


class MySupervisionTable(GovukTable):
    caption = "Your supervision records, newest first"
    caption_hidden = True
    held_on = tables.DateColumn(verbose_name="Date", format="j M Y")
    supervisor = tables.Column("Supervisor")
    notes = tables.Column("Notes")
    next_due_on = tables.DateColumn(verbose_name="Next due", format="j M Y")

    class Meta:
        orderable = False

    def render_notes(self, value):
        return linebreaksbr(value, autoescape=True)

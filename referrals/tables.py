"""Tables for the front-door pages."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from casework.calendar import CalendarRangeError, working_days_between
from casework.tables import GovukTable, child_link, deadline_tag, time_left_text
from casework.timescales import screening_due_at
from referrals.selectors import HIDDEN_CHILD


def _working_days(a, b):
    try:
        return working_days_between(a, b)
    except CalendarRangeError:
        return None


class FrontDoorTable(GovukTable):
    received_at = tables.Column(verbose_name="Received")
    source = tables.Column(verbose_name="Source")
    children = tables.Column(verbose_name="Children", empty_values=(), orderable=False)
    screening_due_on = tables.DateColumn(verbose_name="Decision due", format="j M Y")
    # Time left counts working days to the due date: sorting by the date sorts by it.
    time_left = tables.Column(
        verbose_name="Time left", empty_values=(), order_by=("screening_due_on", "pk")
    )
    status = tables.Column(verbose_name="Status", empty_values=(), order_by=("screening_due_on",))
    decide = tables.Column(verbose_name="Action", empty_values=(), orderable=False)

    def __init__(self, *args, today, standard, **kwargs):
        self.today = today
        self.standard = standard  # the authority's screening standard, read once per page
        super().__init__(*args, **kwargs)

    def render_screening_due_on(self, record, value):
        # An hours standard runs out at a time of day: show it (no query, the calendar is cached).
        due_at = screening_due_at(record.received_at, self.standard)
        if due_at is None:
            return f"{value:%-d %b %Y}"
        return f"{timezone.localtime(due_at):%-d %b %Y %H:%M}"

    def render_decide(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">Decide<span class="govuk-visually-hidden"> on contact'
            " {}</span></a>",
            reverse("contact_screen", args=[record.pk]),
            record.pk,
        )

    def render_received_at(self, value):
        return timezone.localtime(value).strftime("%-d %b %Y %H:%M")

    def render_source(self, record):
        return record.get_source_display()

    def render_children(self, record):
        # Prefetched: no query per row.
        return format_html(
            '<ul class="govuk-list">{}</ul>',
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (child_link(cc.child) if cc.child_visible else HIDDEN_CHILD.capitalize(),)
                    for cc in record.children.all()
                ),
            ),
        )

    def render_time_left(self, record):
        due = record.screening_due_on
        try:
            status = record.deadline_status(self.today)
        except CalendarRangeError:
            status = None
        return time_left_text(days=_working_days(self.today, due), status=status, due_on=due)

    def render_status(self, record):
        try:
            return deadline_tag(record.deadline_status(self.today))
        except CalendarRangeError:
            return ""


class UnallocatedTable(GovukTable):
    child = tables.Column(verbose_name="Child")
    referred_on = tables.DateColumn(verbose_name="Referral date", format="j M Y")
    source = tables.Column(verbose_name="Source")
    # Waiting longest first is the earliest referral first: the opposite of the date.
    waiting = tables.Column(
        verbose_name="Waiting", empty_values=(), order_by=("-referred_on", "-pk")
    )
    allocate = tables.Column(verbose_name="Action", empty_values=(), orderable=False)

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def render_child(self, value):
        return child_link(value)

    def render_source(self, record):
        return record.get_source_display()

    def render_allocate(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">Allocate<span class="govuk-visually-hidden"> {}</span>'
            "</a>",
            reverse("allocate", args=[record.pk]),
            record.child.full_name,
        )

    def render_waiting(self, record):
        days = _working_days(record.referred_on, self.today)
        if days is None:
            return ""
        return f"{days} working day{'s' if days != 1 else ''}"

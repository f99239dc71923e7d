"""The early help list's table (django-tables2, rendered by tables/govuk_table.html).

The page's columns are ``exclude_from_export``; the download's (CSV or XLSX through
``metrics.exports.download``, every cell passed through ``safe``) are hidden on the page
and carry the raw values a manager sorts and filters in a spreadsheet.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from casework.models import Deadline
from casework.tables import NUM, GovukTable, deadline_tag
from metrics.tables import export_column, page_column


class EpisodeTable(GovukTable):
    caption = "Open early help episodes, next review first"

    child = page_column("Child", "child", order_by=("child__last_name", "child__first_name"))
    requested = page_column("Requested", "requested_on")
    how = page_column("How", "route")
    shown_status = page_column("Status", "status")
    lead = page_column("Lead practitioner", order_by=("lead_practitioner",))
    next_review = page_column("Next review", "next_review_due_on", default="")
    la_child_id = export_column("la_child_id", "child__la_child_id")
    name = export_column("child", "child__full_name")
    requested_on = export_column("requested_on", "requested_on")
    route = export_column("route", "route")
    status = export_column("status", "status")
    lead_practitioner = export_column("lead_practitioner", "lead_practitioner")
    lead_agency = export_column("lead_agency", "lead_agency")
    next_review_due_on = export_column("next_review_due_on", "next_review_due_on")

    def __init__(self, rows, *, today, **kwargs):
        self.today = today
        kwargs.setdefault("empty_text", "No open early help episodes you can see.")
        super().__init__(rows, **kwargs)

    def render_child(self, record):
        url = reverse("earlyhelp:episode", args=[record.pk])
        return format_html(
            '<a class="govuk-link" href="{}">{}</a><br>'
            '<span class="govuk-hint govuk-!-margin-0">{}</span>',
            url, record.child.full_name, record.child.la_child_id,
        )  # fmt: skip

    def render_requested(self, value):
        return f"{value:%-d %b %Y}"

    def render_how(self, record):
        return record.get_route_display()

    def render_shown_status(self, record):
        return format_html(
            '<strong class="govuk-tag govuk-tag--blue">{}</strong>', record.get_status_display()
        )

    def render_lead(self, record):
        if not record.lead_practitioner:
            return "Not yet assessed"
        return f"{record.lead_practitioner} ({record.get_lead_agency_display()})"

    def render_next_review(self, value):
        overdue = format_html(" {}", deadline_tag(Deadline.OVERDUE)) if value < self.today else ""
        return format_html("{}{}", f"{value:%-d %b %Y}", overdue)

    def value_route(self, record):
        return record.get_route_display()

    def value_status(self, record):
        return record.get_status_display()

    def value_lead_agency(self, record):
        return record.get_lead_agency_display()


class ContactSourceTable(GovukTable):
    """Contacts by source over the period, as the KPI job last counted them."""

    shown_source = page_column("Source", "source")
    shown_contacts = page_column("Children on contacts", "contacts", attrs=NUM)
    shown_progressed = page_column("Progressed to a referral or early help", "progressed",
                                   attrs=NUM)  # fmt: skip
    shown_percent = page_column("% progressed", "percent", attrs=NUM)
    source = export_column("source", "source")
    label = export_column("label", "label")
    contacts = export_column("contacts", "contacts")
    progressed = export_column("progressed", "progressed")
    percent = export_column("percent_progressed", "percent")

    class Meta:
        orderable = False

    def __init__(self, rows, *, period, counted_at, **kwargs):
        when = (f"As counted by the KPI job on {counted_at:%-d %b %Y, %H:%M}" if counted_at
                else "Counted by the KPI job: none yet for this period")  # fmt: skip
        self.caption = format_html(
            'Contacts by source, {} <span class="govuk-caption-s">{}</span>',
            getattr(period, "label", "") or period.name, when,
        )  # fmt: skip
        kwargs.setdefault("empty_text", "No contacts counted for the period yet.")
        super().__init__(rows, **kwargs)

    def render_shown_source(self, record):
        return f"{record['source']}: {record['label']}"

    def render_shown_percent(self, value):
        return f"{value}%"

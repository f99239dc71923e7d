"""The KPI pages' tables (django-tables2, rendered by tables/govuk_table.html).

Each table is also its download (``metrics.exports.download``): the page's columns are
``exclude_from_export``; the download's columns are hidden on the page
(``visible=False``) and keep the lower-case headings and raw values the CSV and XLSX
have always had, in ``Meta.sequence`` order.
"""

from __future__ import annotations

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from casework.tables import NUM, GovukTable

DASH = "–"


def page_column(header: str, accessor: str | None = None, **kwargs) -> tables.Column:
    kwargs.setdefault("default", DASH)
    # No accessor: the table's render_<name> builds the cell from the whole record.
    empty = () if accessor is None else (None, "")
    return tables.Column(
        header, accessor=accessor, exclude_from_export=True, empty_values=empty, **kwargs
    )


def export_column(header: str, accessor: str | None = None) -> tables.Column:
    return tables.Column(header, accessor=accessor, visible=False,
                         empty_values=() if accessor is None else (None, ""))  # fmt: skip


def figure(value, digits):
    """A figure as the pages have always shown it (``floatformat``); no figure is a dash."""
    return DASH if value is None else floatformat(value, digits)


class FigureColumn(tables.Column):
    """A number on the page, right-aligned: ``digits`` as ``floatformat`` takes them (1:
    one decimal place; "-2": up to two, none for a whole number)."""

    def __init__(self, header: str, accessor: str, *, digits=1, **kwargs):
        self.digits = digits
        kwargs.setdefault("default", DASH)
        super().__init__(header, accessor=accessor, attrs=NUM, exclude_from_export=True,
                         **kwargs)  # fmt: skip

    def render(self, value):
        return figure(value, self.digits) or DASH


class FiguresTable(GovukTable):
    """A snapshot's numerator, denominator and value on the page and in the download;
    each record is a dict with the snapshot under ``snap`` (None: no figure)."""

    shown_numerator = FigureColumn("Numerator", "snap__numerator", digits="-2")
    shown_denominator = FigureColumn("Denominator", "snap__denominator", digits="-2")
    shown_value = FigureColumn("Value", "snap__value")
    period = export_column("period")
    numerator = export_column("numerator", "snap__numerator")
    denominator = export_column("denominator", "snap__denominator")
    value = export_column("value", "snap__value")

    class Meta:
        orderable = False

    def __init__(self, rows, *, period, caption: str = "", query: str = "", **kwargs):
        self.period, self.caption, self.query = period, caption, query
        super().__init__(rows, **kwargs)

    def value_period(self):
        return self.period.name


class TrendTable(FiguresTable):
    """The KPI page's last 12 months (``snap`` None: no snapshot that month)."""

    row_headers = True
    month = page_column("Month", "month__name")
    shown_numerator = FigureColumn("Numerator", "snap__numerator", digits="-2", default="No data")
    period = export_column("period", "month__name")

    class Meta:
        orderable = False
        sequence = ("month", "shown_numerator", "shown_denominator", "shown_value", "period",
                    "numerator", "denominator", "value")  # fmt: skip


class TeamBreakdownTable(FiguresTable):
    row_headers = True
    team_link = page_column("Team", "name")
    team_id = export_column("team_id", "snap__scope_id")
    team = export_column("team", "name")

    class Meta:
        orderable = False
        sequence = ("team_link", "shown_numerator", "shown_denominator", "shown_value",
                    "team_id", "team", "period", "numerator", "denominator", "value")  # fmt: skip

    def render_team_link(self, record, value):
        return format_html('<a class="govuk-link" href="?{}&amp;scope=team:{}">{}</a>',
                           self.query, record["snap"].scope_id, value)  # fmt: skip


class WorkerBreakdownTable(FiguresTable):
    row_headers = True
    worker_link = page_column("Worker")
    shown_team = page_column("Team", "worker__team")
    worker_id = export_column("worker_id", "snap__scope_id")
    worker = export_column("worker", "worker__full_name")
    team = export_column("team", "worker__team")

    class Meta:
        orderable = False
        attrs = {"id": "worker-breakdown"}
        sequence = ("worker_link", "shown_team", "shown_numerator", "shown_denominator",
                    "shown_value", "worker_id", "worker", "team", "period", "numerator",
                    "denominator", "value")  # fmt: skip

    def render_worker_link(self, record):
        worker, snap = record["worker"], record["snap"]
        name = worker.full_name if worker else f"Worker {snap.scope_id}"
        return format_html('<a class="govuk-link" href="?{}&amp;scope=worker:{}">{}</a>',
                           self.query, snap.scope_id, name)  # fmt: skip

    def value_team(self, value):
        return str(value)


class DashboardTable(GovukTable):
    """Every indicator for the period: the page shows the definition, target and
    comparators; the download has the codes and raw figures."""

    indicator = page_column("Indicator and definition")
    shown_value = page_column("Value", attrs=NUM)
    fraction = page_column("Numerator / denominator", "snapshot", attrs=NUM)
    shown_target = page_column("Target")
    travel = page_column("Direction of travel")
    comparator = page_column("Comparator")
    kpi = export_column("kpi", "kpi__code")
    title = export_column("title", "kpi__title")
    period = export_column("period")
    scope = export_column("scope")
    numerator = export_column("numerator", "snapshot__numerator")
    denominator = export_column("denominator", "snapshot__denominator")
    value = export_column("value", "value")
    target = export_column("target", "target__value")

    class Meta:
        orderable = False
        row_attrs = {
            "class": lambda record: "cf-partial" if record["partial"] else "",
            "id": lambda record: f"kpi-{record['kpi'].code}",
        }

    def __init__(self, rows, *, period, scope: str, can_set_targets: bool = False):
        self.period, self.scope, self.can_set_targets = period, scope, can_set_targets
        self.caption = f"Every indicator for {period.name}"
        super().__init__(rows)

    def value_period(self):
        return self.period.name

    def value_scope(self):
        return self.scope

    def render_indicator(self, record):
        kpi = record["kpi"]
        url = f"{reverse('metrics:kpi', args=[kpi.code])}?period={self.period.name}&scope={self.scope}"  # noqa: E501
        partial = ""
        if record["partial"]:
            partial = format_html(
                '<p class="govuk-body-s govuk-!-margin-bottom-0 govuk-!-margin-top-1"><strong '
                'class="govuk-tag govuk-tag--grey">Partial</strong> {}</p>',
                record["partial"],
            )
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>{}'
            '<details class="govuk-details govuk-!-margin-bottom-0 govuk-!-margin-top-1">'
            '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
            'Definition</span></summary><div class="govuk-details__text govuk-body-s">'
            '<p class="govuk-body-s"><strong>Numerator:</strong> {}</p>'
            '<p class="govuk-body-s"><strong>Denominator:</strong> {}</p>'
            '<p class="govuk-body-s"><strong>Period:</strong> {} <strong>Better:</strong> {}. '
            "<strong>Source:</strong> {} (version {}).</p></div></details>",
            url, kpi.title, partial, kpi.numerator, kpi.denominator, kpi.period_rule,
            kpi.polarity, kpi.source, kpi.version,
        )  # fmt: skip

    def render_shown_value(self, record):
        if record["value"] is None:
            shown = "No data"
        else:
            unit = "%" if record["kpi"].unit == "percent" else ""
            shown = f"{floatformat(record['value'], 1)}{unit}"
        if record.get("annualised") is None:
            return shown
        return format_html('{}<br><span class="govuk-body-s">{} a year</span>', shown,
                           floatformat(record["annualised"], 1))  # fmt: skip

    def render_fraction(self, value):
        return f"{floatformat(value.numerator, '-2')} / {floatformat(value.denominator, '-2')}"

    def render_shown_target(self, record):
        target, kpi = record["target"], record["kpi"]
        shown = "None set"
        if target:
            shown = format_html("{} {}", floatformat(target.value, "-2"), _rag_tag(record["rag"]))
        if not self.can_set_targets:
            return shown
        return format_html(
            '{} <a class="govuk-link govuk-body-s" href="{}">Change<span '
            'class="govuk-visually-hidden"> target for {}</span></a>',
            shown, reverse("metrics:target", args=[kpi.code]), kpi.title,
        )  # fmt: skip

    def render_travel(self, record):
        if not record["travel"]:
            return DASH
        judgement = f" ({record['judgement']})" if record["judgement"] else ""
        return f"{record['travel']} from {floatformat(record['previous'], 1)}{judgement}"

    def render_comparator(self, record):
        found = record["comparators"]
        if not found:
            return DASH
        return format_html_join(
            mark_safe("<br>"), "{}: {}", ((c.label, floatformat(c.value, "-1")) for c in found)
        )


RAG_TAGS = {"green": ("green", "Green"), "amber": ("yellow", "Amber"), "red": ("red", "Red")}


def _rag_tag(rag: str | None):
    if rag not in RAG_TAGS:
        return ""
    colour, label = RAG_TAGS[rag]
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


class TargetHistoryTable(GovukTable):
    """The changes to a KPI's target (its simple-history rows), newest first."""

    caption = "Changes to this target"
    when = tables.Column("When", accessor="history_date")
    who = tables.Column("Who", accessor="history_user", empty_values=())
    value = FigureColumn("Target", "value", digits="-2")
    amber = FigureColumn("Amber threshold", "amber_threshold", digits="-2")

    class Meta:
        orderable = False
        attrs = {"id": "target-history"}

    def render_when(self, value):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"

    def render_who(self, value):
        return (value.get_full_name() or value.username) if value else DASH

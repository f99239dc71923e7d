"""The drill-down lists behind a figure (django-tables2): children with their worker,
team and working days, or staff. The page and its download have the same columns; the
page capitalises the headings the CSV has always had in lower case."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.text import capfirst

from casework.tables import GovukTable
from metrics import drilldown_list


def _column(**kwargs) -> tables.Column:
    kwargs.setdefault("orderable", False)
    return tables.Column(empty_values=(), **kwargs)


class DrilldownTable(GovukTable):
    """Headings come from the KPI (the date shown, what the days count from)."""

    class Meta:
        orderable = False
        attrs = {"id": "drilldown"}

    def __init__(self, rows, *, headers: list[str], export: bool, caption: str = ""):
        super().__init__(rows)
        self.caption = caption
        for bound, header in zip(self.columns.iterall(), headers, strict=True):
            bound.column.verbose_name = header if export else capfirst(header)


class ChildDrilldownTable(DrilldownTable):
    """Event, episode, allocation or child rows; ``child_field`` leads to the child."""

    child = _column()
    name = _column()
    # ?sort=date|-date|worker|team: the names the list has always sorted by.
    date = _column(accessor="event_on", orderable=True, order_by=("event_on", "pk"))
    worker = _column(accessor="holder_name", orderable=True, order_by=("holder_name", "pk"))
    team = _column(accessor="holder_team", orderable=True, order_by=("holder_team", "pk"))
    days = _column()

    class Meta(DrilldownTable.Meta):
        orderable = True

    def __init__(self, rows, *, child_field: str, **kwargs):
        self.child_field = child_field
        super().__init__(rows, **kwargs)

    def child_of(self, record):
        return record if self.child_field == "pk" else record.child

    def render_child(self, record):
        return self.child_of(record).la_child_id

    def render_name(self, record):
        return self.child_of(record).full_name

    def render_date(self, value):
        return f"{value:%-d %b %Y}" if value else ""

    def value_date(self, value):
        return value

    def render_worker(self, value):
        return value or "Not allocated"

    def render_team(self, value):
        return value or ""

    def render_days(self, record):
        return drilldown_list.working_days(record)


class WorkerDrilldownTable(DrilldownTable):
    """Staff, not children: no visibility rule, no child audit."""

    worker = _column(accessor="staff_id")
    name = _column(accessor="full_name")
    team = _column(accessor="team")
    fte = _column(accessor="fte")
    date = _column(accessor="event_on")

    def value_team(self, value):
        return str(value)

    def render_fte(self, value):
        return value.normalize()

    def render_date(self, value):
        return f"{value:%-d %b %Y}" if value else ""

    def value_date(self, value):
        return value


def page_values(table) -> list[list]:
    """The shown rows' download values (the page's list, for the view's context)."""
    names = [c.name for c in table.columns.iterall() if not c.column.exclude_from_export]
    return [[row.get_cell_value(name) for name in names] for row in table.paginated_rows]


class PopulationTable(DrilldownTable):
    """A denominator that is the child population lists no one: a heading, no rows."""

    population = _column()


def caption(table, member: str) -> str:
    """ "6 records, page 1 of 3" on a paged list; "4 workers" on a list of staff."""
    page = getattr(table, "page", None)
    if page is None:
        n = len(table.rows)
        return f"{n} {'worker' if member == 'worker' else 'record'}{'' if n == 1 else 's'}"
    n, pages = page.paginator.count, page.paginator.num_pages
    paged = f", page {page.number} of {pages}" if pages > 1 else ""
    return f"{n} record{'' if n == 1 else 's'}{paged}"

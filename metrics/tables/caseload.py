"""The caseload page's tables (django-tables2): by team, by worker, the 12-month trend."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from casework.tables import GovukTable
from metrics.tables import FigureColumn, page_column


class CaseloadTable(GovukTable):
    row_headers = True

    class Meta:
        orderable = False

    def __init__(self, rows, *, caption: str, attrs: dict):
        self.caption = caption
        super().__init__(rows, attrs=attrs)


class TeamCaseloadTable(CaseloadTable):
    team = page_column("Team")
    live_children = FigureColumn("Children allocated now", "live_children", digits="-2")
    case_holders = FigureColumn("Case-holders now", "case_holders", digits="-2")
    per_worker = FigureColumn("Per worker", "per_worker__value")
    dfe = FigureColumn("Per FTE, DfE method", "dfe__value")

    def __init__(self, rows, *, period):
        super().__init__(rows, caption="By team", attrs={"id": "team-caseloads"})
        self.columns["per_worker"].column.verbose_name = f"Per worker ({period.name})"

    def render_team(self, record):
        team = record["team"]
        url = f"{reverse('caseload_board')}?team={team.pk}"
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, team)


class WorkerCaseloadTable(CaseloadTable):
    worker = page_column("Worker", "worker__full_name")
    team = page_column("Team", "worker__team")
    children = FigureColumn("Children", "children", digits="-2")
    fte = FigureColumn("FTE", "worker__fte", digits="-2")
    per_fte = FigureColumn("Per FTE", "per_fte", digits="-2")
    over = page_column("Over threshold", default="")

    def __init__(self, rows, *, period, threshold: int):
        self.threshold = threshold
        super().__init__(rows, caption=f"By worker, {period.name} (over threshold first)",
                         attrs={"id": "worker-caseloads"})  # fmt: skip

    def render_over(self, record):
        if not record["over"]:
            return ""
        return format_html('<strong class="govuk-tag govuk-tag--red">Over {}</strong>',
                           self.threshold)  # fmt: skip


class CaseloadTrendTable(CaseloadTable):
    month = page_column("Month", "month__name")
    per_worker = FigureColumn("Per worker", "snaps__caseload_per_worker__value")
    dfe = FigureColumn("Per FTE, DfE method", "snaps__caseload_dfe__value")
    unallocated = FigureColumn(
        "Unallocated cases", "snaps__unallocated_cases__numerator", digits="-2"
    )

    def __init__(self, trend):
        rows = [{"month": month, "snaps": snaps} for month, snaps in trend]
        super().__init__(rows, caption="Last 12 months (authority)",
                         attrs={"id": "caseload-trend"})  # fmt: skip

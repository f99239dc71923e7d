"""The authority's supervision and audit standards, editable by administrators. Posts,
contracts, supervision and audits are kept through the workforce pages (services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workforce.models import WorkforceStandard


@admin.register(WorkforceStandard)
class WorkforceStandardAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "case_supervision_days", "worker_supervision_days",
                    "nq_worker_supervision_days", "audits_per_team_month")  # fmt: skip

    def has_add_permission(self, request):
        # One row: the services read the first (or the defaults when there is none).
        return super().has_add_permission(request) and not WorkforceStandard.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from casework.errors import DomainError
from metrics import services
from metrics.models import KpiComparator, KpiSnapshot, KpiTarget
from metrics.returns.models import CensusCheckRun, ReturnExportJob


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    list_display = ["kpi", "period", "scope_type", "scope_id", "numerator", "denominator", "value"]
    list_filter = ["scope_type", "kpi"]
    search_fields = ["kpi", "period"]
    readonly_fields = [f.name for f in KpiSnapshot._meta.fields]

    def has_add_permission(self, request):
        return False  # computed by metrics.services only


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    """Targets set here follow the same rules as the KPI page's form (``kpi_target_set``)."""

    list_display = ["kpi", "value", "amber_threshold", "set_by", "set_at"]
    readonly_fields = ["set_by", "set_at"]

    def get_readonly_fields(self, request, obj=None):
        # A target is keyed by its KPI: changing the KPI would be a different target.
        return [*self.readonly_fields, "kpi"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # a target is a record with its history: change it, never delete it

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class TargetForm(base):
            def clean(self):
                data = super().clean()
                kpi = obj.kpi if obj is not None else data.get("kpi")
                if (
                    kpi
                    and data.get("value") is not None
                    and data.get("amber_threshold") is not None
                ):
                    try:
                        services.kpi_target_check(
                            kpi=kpi, value=data["value"],
                            amber_threshold=data["amber_threshold"], by=request.user,
                        )  # fmt: skip
                    except DomainError as refused:
                        field = refused.field if refused.field in self.fields else None
                        self.add_error(field, refused.message)
                return data

        return TargetForm

    def save_model(self, request, obj, form, change):
        services.kpi_target_set(
            kpi=obj.kpi, value=obj.value, amber_threshold=obj.amber_threshold, by=request.user
        )


@admin.register(KpiComparator)
class KpiComparatorAdmin(admin.ModelAdmin):
    list_display = ["kpi", "label", "kind", "area", "period_kind", "period", "value", "source"]
    list_filter = ["kind", "period_kind", "kpi"]
    search_fields = ["kpi", "label", "area"]


class RecordAdmin(ReadOnlyAdmin):
    """Rows that record what was asked for and what came of it (who exported a return,
    what a check found): administrators may read them; only the services write them, and
    nothing deletes them."""

    readonly_fields = ["status", "requested_by", "requested_at", "started_at", "finished_at",
                       "error"]  # fmt: skip
    list_filter = ["status", "year"]


@admin.register(ReturnExportJob)
class ReturnExportJobAdmin(RecordAdmin):
    list_display = ["kind", "year", "as_of", "status", "requested_by", "requested_at"]


@admin.register(CensusCheckRun)
class CensusCheckRunAdmin(RecordAdmin):
    list_display = ["return_type", "year", "status", "requested_by", "requested_at"]

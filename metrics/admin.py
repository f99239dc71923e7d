from django.contrib import admin

from metrics.models import KpiComparator, KpiSnapshot, KpiTarget


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
    list_display = ["kpi", "value", "amber_threshold", "set_by", "set_at"]
    readonly_fields = ["set_by", "set_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(KpiComparator)
class KpiComparatorAdmin(admin.ModelAdmin):
    list_display = ["kpi", "label", "kind", "area", "period_kind", "period", "value", "source"]
    list_filter = ["kind", "period_kind", "kpi"]
    search_fields = ["kpi", "label", "area"]

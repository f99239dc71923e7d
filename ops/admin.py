from django.contrib import admin, messages

from ops.jobs import failed_job_resolve, failed_job_retry
from ops.models import FailedJob


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    list_display = ("task_name", "failed_at", "exception", "resolved_at", "retried_as")
    list_filter = ("task_name", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("task_id", "task_name", "exception")
    readonly_fields = [f.name for f in FailedJob._meta.fields]
    actions = ["retry", "resolve"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected jobs")
    def retry(self, request, queryset):
        for job in queryset.filter(resolved_at__isnull=True):
            failed_job_retry(job=job, by=request.user)
        messages.success(request, "Jobs sent again.")

    @admin.action(description="Mark the selected jobs resolved")
    def resolve(self, request, queryset):
        for job in queryset.filter(resolved_at__isnull=True):
            failed_job_resolve(job=job, by=request.user)
        messages.success(request, "Jobs marked resolved.")

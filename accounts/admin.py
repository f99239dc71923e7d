from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q

from accounts.models import AuditEvent, RestrictedAccess, User
from accounts.permissions import visible_children, visible_to


@admin.register(User)
class CaseflowUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Caseflow", {"fields": ("role",)}))
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for oversight only: changes go through accounts.services (and are audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "user", "action", "child", "path", "remote_addr")
    list_filter = ("action",)
    list_select_related = ("user", "child")
    date_hierarchy = "occurred_at"

    def get_queryset(self, request):
        # The admin follows the same rule: no names of children one may not see.
        visible = visible_children(request.user).values("pk")
        queryset = super().get_queryset(request)
        return queryset.filter(Q(child__isnull=True) | Q(child__in=visible))


@admin.register(RestrictedAccess)
class RestrictedAccessAdmin(ReadOnlyAdmin):
    list_display = ("child", "reason", "review_on", "set_by", "set_at")
    list_filter = ("reason",)

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request))

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q

from accounts.audit import audit_child_access
from accounts.models import AuditEvent, RestrictedAccess, User
from accounts.permissions import visible_children, visible_to
from casework.models import Child


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


class VisibleChildrenAdminMixin:
    """Admin lists and detail pages about children follow the visibility rule, and each
    record page viewed is audited against its child (issue 8: the admin is a page too).

    ``child_field`` is the path from the model to its child ("pk" for Child itself).
    With ``child_many`` (a household, a contact) a row is shown only if every child on it
    may be seen, so a restricted sibling's name never appears beside a visible one.
    """

    child_field = "child"
    child_many = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.child_field == "pk":
            return visible_children(request.user, queryset)
        if not self.child_many:
            return visible_to(request.user, queryset, child_field=self.child_field)
        hidden = Child.objects.exclude(pk__in=visible_children(request.user).values("pk"))
        return queryset.exclude(**{f"{self.child_field}__in": hidden.values("pk")})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and not self.child_many:
            obj = self.get_object(request, object_id)
            if obj is not None:
                child = obj if self.child_field == "pk" else _follow(obj, self.child_field)
                audit_child_access(request, child)
        return response


def _follow(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj

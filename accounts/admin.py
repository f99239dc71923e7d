from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from accounts.audit import audit_children_access
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
        if response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_children_access(request, self.children_of(obj))
        return response

    def children_of(self, obj) -> list[int]:
        """The ids of the children a page about ``obj`` shows."""
        if self.child_field == "pk":
            return [obj.pk]
        if not self.child_many:
            return [_follow(obj, self.child_field).pk]
        rows = type(obj)._default_manager.filter(
            pk=obj.pk, **{f"{self.child_field}__isnull": False}
        )
        return list(rows.values_list(self.child_field, flat=True))

    # History pages (django-simple-history) read the history table directly, so they
    # would show any record's past versions: they answer only for a record the admin's
    # filtered queryset holds, and audit the children like the change page does.

    def history_view(self, request, object_id, extra_context=None):
        obj = self._visible_or_404(request, object_id)
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            audit_children_access(request, self.children_of(obj))
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._visible_or_404(request, object_id)
        if not str(version_id).isdigit():
            raise Http404
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            audit_children_access(request, self.children_of(obj))
        return response

    def _visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History pages that only show: reverting (a POST to a past version, which saves it
    over the record without the services, their version bump and audit) is refused."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


def _follow(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj

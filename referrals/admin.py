"""Django admin for the front door: read-only, with history (see casework/admin.py)."""

from django.contrib import admin

from accounts.admin import VisibleChildrenAdminMixin
from casework.admin import CaseRecordAdmin, ReadOnlyAdmin
from referrals.models import Contact, ContactChild, Referral


class ContactChildInline(admin.TabularInline):
    model = ContactChild
    fields = ("child", "decision")
    raw_id_fields = ("child",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(CaseRecordAdmin):
    child_field, child_many = "children__child", True
    list_display = ("pk", "received_at", "source", "status", "screening_due_on", "decided_at")
    list_filter = ("status", "source", "entered_in_error")
    date_hierarchy = "received_at"
    search_fields = ("=children__child__la_child_id",)
    raw_id_fields = ("recorded_by", "decided_by", "entered_in_error_by")
    inlines = [ContactChildInline]


@admin.register(ContactChild)
class ContactChildAdmin(VisibleChildrenAdminMixin, ReadOnlyAdmin):
    list_display = ("pk", "contact", "child", "decision")
    list_filter = ("decision",)
    list_select_related = ("contact", "child")
    search_fields = ("=child__la_child_id", "=contact__pk")
    raw_id_fields = ("contact", "child")


@admin.register(Referral)
class ReferralAdmin(CaseRecordAdmin):
    list_display = (
        "pk",
        "child",
        "referred_on",
        "source",
        "status",
        "nfa",
        "assessment_due_on",
        "closed_on",
        "closure_reason",
    )
    list_filter = ("status", "source", "nfa", "primary_need", "closure_reason", "entered_in_error")
    list_select_related = ("child",)
    date_hierarchy = "referred_on"
    search_fields = ("=child__la_child_id", "^child__last_name")
    raw_id_fields = (
        "child",
        "contact_child",
        "recorded_by",
        "closed_by",
        "entered_in_error_by",
    )

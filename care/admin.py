"""Prospective adopters in the admin: read only, with history. They are recorded and moved
through the agency's process by ``care.adopters`` (the pages at /adopters/), whose checks
(steps in order, one or two adopters, the couple's legal status) an admin edit would skip."""

from django.contrib import admin

from accounts.admin import ReadOnlyHistoryAdmin
from care.models import Adopter, AdopterHousehold
from casework.admin import ReadOnlyAdmin


class AdopterInline(admin.TabularInline):
    model = Adopter
    fields = ("reference", "sex", "ethnicity", "disabled", "entered_in_error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdopterHousehold)
class AdopterHouseholdAdmin(ReadOnlyAdmin, ReadOnlyHistoryAdmin):
    list_display = ("reference", "enquiry_on", "approved_on", "left_on", "entered_in_error")
    list_filter = ("entered_in_error",)
    search_fields = ("=reference",)
    inlines = [AdopterInline]

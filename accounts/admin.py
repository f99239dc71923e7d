from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class CaseflowUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Caseflow", {"fields": ("role",)}))
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")

"""Django admin for administrators: organisation settings editable, case records read-only.

Case records are written only by the domain services (style.md rule 1), so here they are
view-only with their history; no one deletes them. Lists stay fast at a million rows:
related rows are joined (``list_select_related``), foreign keys are raw ids, searches are
exact or prefix matches on indexed columns, and the full-table count is skipped.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts.admin import ReadOnlyHistoryAdmin, VisibleChildrenAdminMixin
from casework import timescales
from casework.models import (
    Allocation,
    Assessment,
    Authority,
    CaseNote,
    Child,
    ChildPopulation,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ClosureDay,
    CoreGroup,
    GeneratedHistory,
    Household,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Visit,
    Worker,
    WorkingDay,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseRecordAdmin(VisibleChildrenAdminMixin, ReadOnlyAdmin, ReadOnlyHistoryAdmin):
    """View-only, with history. Mark-as-entered-in-error is a service, not an admin edit."""

    child_search = ("=child__la_child_id", "^child__last_name")


@admin.register(Household)
class HouseholdAdmin(CaseRecordAdmin):
    child_field, child_many = "children", True
    list_display = ("reference", "postcode", "entered_in_error")
    list_filter = ("entered_in_error",)
    search_fields = ("=reference", "^postcode")


@admin.register(Child)
class ChildAdmin(CaseRecordAdmin):
    child_field = "pk"
    list_display = (
        "la_child_id",
        "last_name",
        "first_name",
        "date_of_birth",
        "sex",
        "is_restricted",
        "entered_in_error",
    )
    list_filter = ("sex", "is_restricted", "entered_in_error")
    search_fields = ("=la_child_id", "^last_name", "=upn", "=nhs_number")
    raw_id_fields = ("household", "entered_in_error_by")


@admin.register(Assessment)
class AssessmentAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "status", "started_on", "due_on", "authorised_on", "outcome")
    list_filter = ("status", "outcome", "entered_in_error")
    list_select_related = ("child",)
    date_hierarchy = "started_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = ("child", "referral", "worker", "authorised_by", "entered_in_error_by")


@admin.register(StrategyDiscussion)
class StrategyDiscussionAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "held_on", "s47_required")
    list_filter = ("s47_required", "entered_in_error")
    list_select_related = ("child",)
    date_hierarchy = "held_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = ("child", "referral", "recorded_by", "entered_in_error_by")


@admin.register(Section47Enquiry)
class Section47EnquiryAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "status", "started_on", "icpc_due_on", "ended_on", "outcome")
    list_filter = ("status", "outcome", "icpc_not_required", "entered_in_error")
    list_select_related = ("child",)
    date_hierarchy = "started_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = (
        "child",
        "referral",
        "strategy_discussion",
        "authorised_by",
        "entered_in_error_by",
    )


@admin.register(ChildProtectionConference)
class ChildProtectionConferenceAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "kind", "status", "due_on", "held_on", "outcome")
    list_filter = ("kind", "status", "outcome", "transfer_in", "entered_in_error")
    list_select_related = ("child",)
    date_hierarchy = "due_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = ("child", "referral", "s47", "plan", "entered_in_error_by")


@admin.register(ChildProtectionPlan)
class ChildProtectionPlanAdmin(CaseRecordAdmin):
    list_display = (
        "pk",
        "child",
        "status",
        "started_on",
        "ended_on",
        "initial_category",
        "latest_category",
        "next_visit_due_on",
    )
    list_filter = ("status", "initial_category", "latest_category", "entered_in_error")
    list_select_related = ("child",)
    date_hierarchy = "started_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = ("child", "referral", "icpc", "entered_in_error_by")


@admin.register(CoreGroup)
class CoreGroupAdmin(CaseRecordAdmin):
    child_field = "plan__child"
    list_display = ("pk", "plan", "due_on", "held_on")
    list_filter = ("entered_in_error",)
    list_select_related = ("plan",)
    date_hierarchy = "held_on"
    search_fields = ("=plan__child__la_child_id",)
    raw_id_fields = ("plan", "entered_in_error_by")


@admin.register(CINPlan)
class CINPlanAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "status", "started_on", "ended_on")
    list_filter = ("status", "entered_in_error")
    list_select_related = ("child",)
    date_hierarchy = "started_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = ("child", "referral", "entered_in_error_by")


@admin.register(Visit)
class VisitAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "kind", "visited_on", "child_seen", "seen_alone", "worker")
    list_filter = ("kind", "child_seen", "seen_alone", "entered_in_error")
    list_select_related = ("child", "worker")
    date_hierarchy = "visited_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = ("child", "referral", "assessment", "cp_plan", "worker", "entered_in_error_by")


@admin.register(CaseNote)
class CaseNoteAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "kind", "occurred_on", "child_seen", "recorded_by")
    list_filter = ("kind", "entered_in_error")
    list_select_related = ("child", "recorded_by")
    date_hierarchy = "occurred_on"
    search_fields = CaseRecordAdmin.child_search
    raw_id_fields = ("child", "referral", "recorded_by", "entered_in_error_by")


@admin.register(Allocation)
class AllocationAdmin(CaseRecordAdmin):
    list_display = ("pk", "child", "worker", "team", "started_on", "ended_on", "reason")
    list_filter = ("reason", "court_work", "team", "entered_in_error")
    list_select_related = ("child", "worker", "team")
    date_hierarchy = "started_on"
    search_fields = (*CaseRecordAdmin.child_search, "=worker__staff_id")
    raw_id_fields = ("child", "referral", "worker", "team", "entered_in_error_by")


@admin.register(WorkingDay)
class WorkingDayAdmin(ReadOnlyAdmin):
    """Derived from bank holidays and closure days: change closure days instead."""

    list_display = ("date", "is_working_day", "ordinal", "holiday")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("holiday",)


@admin.register(GeneratedHistory)
class GeneratedHistoryAdmin(ReadOnlyAdmin):
    """Written by generate_authority: which demo history this database holds."""

    list_display = ("scale", "seed", "started_on", "through", "generated_at")


# Organisation and settings: editable by administrators.


@admin.register(Authority)
class AuthorityAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "la_code", "cp_visit_standard_working_days", "caseload_threshold")

    def has_add_permission(self, request):
        # One authority per installation.
        return super().has_add_permission(request) and not Authority.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Through the service, so a new visit standard moves open visit due dates.
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        timescales.authority_update(authority=obj, by=request.user, **changed)


@admin.register(ChildPopulation)
class ChildPopulationAdmin(admin.ModelAdmin):
    list_display = ("year", "population", "authority")
    list_select_related = ("authority",)


class ClosureDayForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ("date", "reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and "date" not in self.errors:
            try:
                timescales.closure_day_check(cleaned["date"], (cleaned.get("reason") or "").strip())
            except ValidationError as refused:
                self.add_error(None, refused)
        return cleaned


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    """Adding or removing a closure day rebuilds the calendar and moves open deadlines.

    A closure day is not changed in place: remove it and add the right one.
    """

    form = ClosureDayForm
    list_display = ("date", "reason")
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        added = timescales.closure_day_add(date=obj.date, reason=obj.reason, by=request.user)
        obj.pk = added.pk

    def delete_model(self, request, obj):
        timescales.closure_day_remove(closure_day=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for closure_day in queryset:
            timescales.closure_day_remove(closure_day=closure_day, by=request.user)


@admin.register(Team)
class TeamAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "service_area", "manager", "is_active")
    list_filter = ("service_area", "is_active")
    list_select_related = ("manager",)
    search_fields = ("name",)
    raw_id_fields = ("manager",)

    def has_delete_permission(self, request, obj=None):
        return False  # workers and allocations point at teams: deactivate instead


@admin.register(Worker)
class WorkerAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "staff_id",
        "last_name",
        "first_name",
        "team",
        "role",
        "fte",
        "employment",
        "newly_qualified",
        "left_on",
    )
    list_filter = ("role", "employment", "newly_qualified", "team")
    list_select_related = ("team",)
    search_fields = ("=staff_id", "=swe_registration", "^last_name")
    raw_id_fields = ("user",)

    def has_delete_permission(self, request, obj=None):
        return False  # allocations point at workers: record a leaving date instead

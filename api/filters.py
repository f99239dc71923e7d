"""Query-string filters for the lists (django-filter); ids are range-checked integers."""

from __future__ import annotations

from datetime import UTC

import django_filters as filters
from django import forms

from casework.models import (
    Allocation,
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Visit,
    Worker,
)
from referrals.models import Contact, Referral

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(filters.fields.IsoDateTimeField):
    """Aware datetimes converted to UTC: PostgreSQL refuses offsets past 15:59 hours."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("Enter a date and time within range") from None


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


def _dates(field: str, label: str):
    return (
        filters.DateFilter(field_name=field, lookup_expr="gte", label=f"{label} on or after"),
        filters.DateFilter(field_name=field, lookup_expr="lte", label=f"{label} on or before"),
    )


class ChildFilter(filters.FilterSet):
    la_child_id = filters.CharFilter(max_length=20)
    last_name = filters.CharFilter(lookup_expr="iexact", max_length=60)
    born_after, born_before = _dates("date_of_birth", "Born")

    class Meta:
        model = Child
        fields = ["la_child_id", "last_name", "sex"]


class ContactFilter(filters.FilterSet):
    child = IdFilter(field_name="children__child", distinct=False)
    received_after = DateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = DateTimeFilter(field_name="received_at", lookup_expr="lte")

    class Meta:
        model = Contact
        fields = ["status", "source"]


class _ChildRecordFilter(filters.FilterSet):
    child = IdFilter(field_name="child")
    referral = IdFilter(field_name="referral")


class ReferralFilter(filters.FilterSet):
    child = IdFilter(field_name="child")
    referred_after, referred_before = _dates("referred_on", "Referred")

    class Meta:
        model = Referral
        fields = ["status", "source", "nfa", "closure_reason"]


class AssessmentFilter(_ChildRecordFilter):
    worker = IdFilter(field_name="worker")
    started_after, started_before = _dates("started_on", "Started")
    authorised_after, authorised_before = _dates("authorised_on", "Authorised")

    class Meta:
        model = Assessment
        fields = ["status", "outcome"]


class StrategyDiscussionFilter(_ChildRecordFilter):
    held_after, held_before = _dates("held_on", "Held")

    class Meta:
        model = StrategyDiscussion
        fields = ["s47_required"]


class Section47Filter(_ChildRecordFilter):
    started_after, started_before = _dates("started_on", "Started")

    class Meta:
        model = Section47Enquiry
        fields = ["status", "outcome"]


class ConferenceFilter(_ChildRecordFilter):
    plan = IdFilter(field_name="plan")
    due_after, due_before = _dates("due_on", "Due")

    class Meta:
        model = ChildProtectionConference
        fields = ["kind", "status", "outcome"]


class CPPlanFilter(_ChildRecordFilter):
    started_after, started_before = _dates("started_on", "Started")

    class Meta:
        model = ChildProtectionPlan
        fields = ["status", "initial_category", "latest_category"]


class CINPlanFilter(_ChildRecordFilter):
    started_after, started_before = _dates("started_on", "Started")

    class Meta:
        model = CINPlan
        fields = ["status"]


class VisitFilter(_ChildRecordFilter):
    worker = IdFilter(field_name="worker")
    cp_plan = IdFilter(field_name="cp_plan")
    visited_after, visited_before = _dates("visited_on", "Visited")

    class Meta:
        model = Visit
        fields = ["kind", "child_seen"]


class AllocationFilter(_ChildRecordFilter):
    worker = IdFilter(field_name="worker")
    team = IdFilter(field_name="team")
    current = filters.BooleanFilter(
        field_name="ended_on", lookup_expr="isnull", label="Current (not ended)"
    )

    class Meta:
        model = Allocation
        fields = ["reason", "court_work"]


class TeamFilter(filters.FilterSet):
    class Meta:
        model = Team
        fields = ["service_area", "is_active"]


class WorkerFilter(filters.FilterSet):
    team = IdFilter(field_name="team")
    staff_id = filters.CharFilter(max_length=20)

    class Meta:
        model = Worker
        fields = ["role", "employment", "newly_qualified"]

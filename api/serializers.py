"""Output shapes (read-only) and the input fields shared by the views' InputSerializers."""

from __future__ import annotations

from rest_framework import serializers

from casework.models import (
    Allocation,
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CoreGroup,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Visit,
    Worker,
)
from casework.services import children
from referrals.models import Contact, ContactChild, Referral

MAX_ID = 2**63 - 1


class VisiblePrimaryKey(serializers.PrimaryKeyRelatedField):
    """An id in the input, looked up among the rows the user may see (else "invalid")."""

    def __init__(self, model, selector=None, **kwargs):
        self.model, self.selector = model, selector
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self):
        if self.selector is None:
            return self.model._default_manager.all()
        return self.selector(user=self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class ChildSummary(ReadOnlyModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "la_child_id", "first_name", "last_name"]


CASE = ["version", "created_at", "updated_at"]


class ChildOutput(ReadOnlyModelSerializer):
    disabilities = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Child
        # The identity fixed when the child is added, the details that may change (the
        # service's one list), and what the record's access rules set.
        fields = ["id", "la_child_id", *children.EDITABLE, "is_restricted", *CASE]


class ContactChildOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)

    class Meta:
        model = ContactChild
        fields = ["child", "decision"]


class ContactOutput(ReadOnlyModelSerializer):
    children = ContactChildOutput(many=True, read_only=True)
    reason_codes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "received_at",
            "source",
            "reason",
            "reason_codes",
            "status",
            "screening_due_on",
            "decided_at",
            "decision_notes",
            "children",
            *CASE,
        ]


class ReferralOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "child",
            "referred_on",
            "source",
            "nfa",
            "primary_need",
            "status",
            "closed_on",
            "closure_reason",
            "assessment_due_on",
            *CASE,
        ]


class AssessmentOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)
    factors = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "child",
            "referral",
            "worker",
            "status",
            "started_on",
            "due_on",
            "dfe_due_on",
            "child_seen_on",
            "completed_on",
            "submitted_on",
            "returned_on",
            "return_reason",
            "times_returned",
            "authorised_on",
            "authorised_by",
            "outcome",
            "factors",
            "summary",
            *CASE,
        ]


class StrategyDiscussionOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)
    s47 = serializers.SerializerMethodField()

    class Meta:
        model = StrategyDiscussion
        fields = [
            "id",
            "child",
            "referral",
            "held_on",
            "s47_required",
            "attendees",
            "notes",
            "s47",
            *CASE,
        ]

    def get_s47(self, obj) -> int | None:
        # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
        s47 = getattr(obj, "s47", None)
        return s47.pk if s47 else None


class Section47Output(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)

    class Meta:
        model = Section47Enquiry
        fields = [
            "id",
            "child",
            "referral",
            "strategy_discussion",
            "status",
            "started_on",
            "icpc_due_on",
            "ended_on",
            "outcome",
            "icpc_not_required",
            *CASE,
        ]


class ConferenceOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)

    class Meta:
        model = ChildProtectionConference
        fields = [
            "id",
            "child",
            "referral",
            "kind",
            "s47",
            "plan",
            "status",
            "due_on",
            "scheduled_for",
            "held_on",
            "transfer_in",
            "outcome",
            "chair",
            *CASE,
        ]


class CPPlanOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)

    class Meta:
        model = ChildProtectionPlan
        fields = [
            "id",
            "child",
            "referral",
            "icpc",
            "status",
            "started_on",
            "ended_on",
            "initial_category",
            "latest_category",
            "first_core_group_due_on",
            "next_review_due_on",
            "next_visit_due_on",
            "end_reason",
            *CASE,
        ]


class CINPlanOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)

    class Meta:
        model = CINPlan
        fields = ["id", "child", "referral", "status", "started_on", "ended_on", *CASE]


class VisitOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "child",
            "referral",
            "kind",
            "assessment",
            "cp_plan",
            "worker",
            "visited_on",
            "child_seen",
            "seen_alone",
            "notes",
            *CASE,
        ]


class WorkerSummary(ReadOnlyModelSerializer):
    class Meta:
        model = Worker
        fields = ["id", "staff_id", "first_name", "last_name"]


class TeamSummary(ReadOnlyModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class AllocationOutput(ReadOnlyModelSerializer):
    child = ChildSummary(read_only=True)
    worker = WorkerSummary(read_only=True)
    team = TeamSummary(read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "child",
            "referral",
            "worker",
            "team",
            "started_on",
            "ended_on",
            "reason",
            "end_reason",
            "court_work",
            *CASE,
        ]


class TeamOutput(ReadOnlyModelSerializer):
    manager = WorkerSummary(read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["id", "name", "service_area", "manager", "is_active"]


class WorkerOutput(ReadOnlyModelSerializer):
    team = TeamSummary(read_only=True)

    class Meta:
        model = Worker
        fields = [
            "id",
            "staff_id",
            "first_name",
            "last_name",
            "team",
            "role",
            "fte",
            "employment",
            "newly_qualified",
            "protected_caseload_limit",
            "started_on",
            "left_on",
        ]


class CoreGroupOutput(ReadOnlyModelSerializer):
    class Meta:
        model = CoreGroup
        fields = ["id", "plan", "due_on", "held_on", "notes", *CASE]

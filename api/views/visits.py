"""Visits and allocations."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action

from api import filters, selectors
from api.idempotency import idempotent_create
from api.serializers import AllocationOutput, VisiblePrimaryKey, VisitOutput
from api.views.base import ChildRecordViewSet, create_schema, read_schema, transition_schema
from casework import errors, services
from casework.errors import DomainError
from casework.models import Assessment, ChildProtectionPlan, VisitKind, Worker
from referrals.models import Referral


class VisitInput(serializers.Serializer):
    referral = VisiblePrimaryKey(Referral, selectors.referral_list)
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    visited_on = serializers.DateField()
    child_seen = serializers.BooleanField()
    seen_alone = serializers.BooleanField(default=False)
    worker = VisiblePrimaryKey(Worker, required=False, allow_null=True)
    assessment = VisiblePrimaryKey(
        Assessment, selectors.assessment_list, required=False, allow_null=True
    )
    cp_plan = VisiblePrimaryKey(
        ChildProtectionPlan, selectors.cp_plan_list, required=False, allow_null=True
    )
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True)


@read_schema("visit", "visits", VisitOutput)
class VisitViewSet(ChildRecordViewSet):
    selector = selectors.visit_list
    output_serializer = VisitOutput
    filterset_class = filters.VisitFilter

    @create_schema("Record a visit", VisitInput, VisitOutput)
    @idempotent_create
    def create(self, request):
        data = self.validated(VisitInput, request)
        visit = services.visit_record(by=request.user, **data)
        return self.changed(request, visit, status=201)


class AllocationEndInput(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(max_length=200, allow_blank=True)


@read_schema("allocation", "allocations", AllocationOutput)
class AllocationViewSet(ChildRecordViewSet):
    """Allocations are made on the episode: ``POST /referrals/{id}/allocate/``."""

    selector = selectors.allocation_list
    output_serializer = AllocationOutput
    filterset_class = filters.AllocationFilter

    @transition_schema(
        "End this allocation, leaving the episode unallocated (managers)",
        AllocationEndInput,
        AllocationOutput,
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        allocation, versions = self.at_if_match(request, pk)
        data = self.validated(AllocationEndInput, request)
        if allocation.ended_on is not None:
            raise DomainError(errors.ALLOCATION_NONE_CURRENT, field="status")
        allocation = services.allocation_end(
            referral=allocation.referral, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, allocation)

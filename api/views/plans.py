"""Child protection plans (reviews, core groups, ending) and child in need plans."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from api import filters, schema, selectors
from api.idempotency import idempotent_create
from api.serializers import (
    CINPlanOutput,
    ConferenceOutput,
    CoreGroupOutput,
    CPPlanOutput,
    VisiblePrimaryKey,
)
from api.views.base import (
    ChildRecordViewSet,
    create_schema,
    read_schema,
    transition_schema,
)
from casework import services
from casework.codes import AbuseCategory
from casework.models import ChildProtectionConference
from referrals.models import Referral


class CPPlanStartInput(serializers.Serializer):
    icpc = VisiblePrimaryKey(ChildProtectionConference, selectors.conference_list)
    category = serializers.ChoiceField(choices=AbuseCategory.choices)


class CPPlanReviewInput(serializers.Serializer):
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=schema.REVIEW_OUTCOMES)
    latest_category = serializers.ChoiceField(
        choices=AbuseCategory.choices, required=False, allow_blank=True
    )
    chair = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CPPlanEndInput(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(max_length=200, allow_blank=True)


class CoreGroupInput(serializers.Serializer):
    held_on = serializers.DateField()
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True)


@read_schema("child protection plan", "child protection plans", CPPlanOutput)
class CPPlanViewSet(ChildRecordViewSet):
    selector = selectors.cp_plan_list
    output_serializer = CPPlanOutput
    filterset_class = filters.CPPlanFilter

    @create_schema(
        "Start a child protection plan from an initial conference whose outcome is a plan",
        CPPlanStartInput,
        CPPlanOutput,
    )
    @idempotent_create
    def create(self, request):
        data = self.validated(CPPlanStartInput, request)
        plan = services.cp_plan_start(by=request.user, **data)
        return self.changed(request, plan, status=201)

    @extend_schema(
        summary="Record a review conference: the plan continues or ends",
        request=CPPlanReviewInput,
        responses={201: ConferenceOutput, **schema.CHANGE_ERRORS},
        parameters=[schema.IF_MATCH, schema.ETAG],
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        plan, versions = self.at_if_match(request, pk)
        data = self.validated(CPPlanReviewInput, request)
        review = services.review_record(
            plan=plan, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, review, status=201, serializer=ConferenceOutput)

    @transition_schema("End the plan outside a review (managers)", CPPlanEndInput, CPPlanOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        plan, versions = self.at_if_match(request, pk)
        data = self.validated(CPPlanEndInput, request)
        plan = services.cp_plan_end(plan=plan, by=request.user, expected_version=versions, **data)
        return self.changed(request, plan)

    @create_schema(
        "Record a core group meeting", CoreGroupInput, CoreGroupOutput, under_record=True
    )
    @action(detail=True, methods=["post"], url_path="core-groups")
    @idempotent_create
    def core_groups(self, request, pk=None):
        plan = self.get_object()
        data = self.validated(CoreGroupInput, request)
        group = services.core_group_record(plan=plan, by=request.user, **data)
        group.child_id = plan.child_id
        return self.changed(request, group, status=201, serializer=CoreGroupOutput)


class CINPlanStartInput(serializers.Serializer):
    referral = VisiblePrimaryKey(Referral, selectors.referral_list)
    started_on = serializers.DateField()


class CINPlanEndInput(serializers.Serializer):
    ended_on = serializers.DateField()


@read_schema("child in need plan", "child in need plans", CINPlanOutput)
class CINPlanViewSet(ChildRecordViewSet):
    selector = selectors.cin_plan_list
    output_serializer = CINPlanOutput
    filterset_class = filters.CINPlanFilter

    @create_schema(
        "Start a child in need plan",
        CINPlanStartInput,
        CINPlanOutput,
    )
    @idempotent_create
    def create(self, request):
        data = self.validated(CINPlanStartInput, request)
        plan = services.cin_plan_start(by=request.user, **data)
        return self.changed(request, plan, status=201)

    @transition_schema("End the child in need plan", CINPlanEndInput, CINPlanOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        plan, versions = self.at_if_match(request, pk)
        data = self.validated(CINPlanEndInput, request)
        plan = services.cin_plan_end(plan=plan, by=request.user, expected_version=versions, **data)
        return self.changed(request, plan)

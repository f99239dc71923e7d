"""The front door: contacts and their screening; referrals, episode closure, allocation."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from api import filters, schema, selectors
from api.idempotency import idempotent_create
from api.serializers import (
    MAX_ID,
    AllocationOutput,
    ContactOutput,
    ReferralOutput,
    VisiblePrimaryKey,
)
from api.views.base import ChildRecordViewSet
from casework import services as casework_services
from casework.codes import ASSESSMENT_FACTORS, ClosureReason, ReferralSource
from casework.models import AllocationReason, Child, Team, Worker
from referrals import services
from referrals.models import ScreeningDecision


class ContactRecordInput(serializers.Serializer):
    received_at = serializers.DateTimeField()
    source = serializers.ChoiceField(choices=ReferralSource.choices)
    reason = serializers.CharField(max_length=5000, allow_blank=True)
    children = serializers.ListField(
        child=VisiblePrimaryKey(Child, selectors.contact_children), max_length=20
    )
    reason_codes = serializers.ListField(
        child=serializers.ChoiceField(choices=list(ASSESSMENT_FACTORS.items())),
        max_length=len(ASSESSMENT_FACTORS),
        required=False,
    )


class ScreeningDecisionInput(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    decision = serializers.ChoiceField(choices=ScreeningDecision.choices)


class ContactScreenInput(serializers.Serializer):
    decisions = ScreeningDecisionInput(many=True, max_length=20)
    decided_at = serializers.DateTimeField(required=False)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        summary="List contacts", responses={200: ContactOutput, **schema.LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="A contact",
        responses={200: ContactOutput, **schema.READ_ERRORS},
        parameters=[schema.ETAG],
    ),
)
class ContactViewSet(ChildRecordViewSet):
    selector = selectors.contact_list
    output_serializer = ContactOutput
    filterset_class = filters.ContactFilter
    case_detail = False  # business support record and read the front door

    def children_of(self, obj) -> list:
        # Only the lines about children the user may see are prefetched (and shown).
        return [line.child_id for line in obj.children.all()]

    @extend_schema(
        summary="Record a contact about one or more children",
        request=ContactRecordInput,
        responses={201: ContactOutput, **schema.CREATE_ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.ETAG],
    )
    @idempotent_create
    def create(self, request):
        data = self.validated(ContactRecordInput, request)
        contact = services.contact_record(by=request.user, **data)
        # Read back through the visibility rule: the answer names only children one may open.
        return self.changed(request, self.get_queryset().get(pk=contact.pk), status=201)

    @extend_schema(
        summary="Record the screening decision for every child on the contact",
        request=ContactScreenInput,
        responses={200: ContactOutput, **schema.CHANGE_ERRORS},
        parameters=[schema.IF_MATCH, schema.ETAG],
    )
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        contact, versions = self.at_if_match(request, pk)
        data = self.validated(ContactScreenInput, request)
        decisions = {line["child"]: line["decision"] for line in data.pop("decisions")}
        contact = services.contact_screen(
            contact=contact, by=request.user, decisions=decisions, expected_version=versions, **data
        )
        return self.changed(request, self.get_queryset().get(pk=contact.pk))


class ReferralOpenInput(serializers.Serializer):
    child = VisiblePrimaryKey(Child, selectors.child_list)
    referred_on = serializers.DateField()
    source = serializers.ChoiceField(choices=ReferralSource.choices)
    nfa = serializers.BooleanField(default=False)


class ReferralCloseInput(serializers.Serializer):
    closed_on = serializers.DateField()
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices)


class ReferralReopenInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class AllocateInput(serializers.Serializer):
    worker = VisiblePrimaryKey(Worker)
    started_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=AllocationReason.choices, default="new")
    team = VisiblePrimaryKey(Team, required=False, allow_null=True)
    court_work = serializers.BooleanField(default=False)


@extend_schema_view(
    list=extend_schema(
        summary="List referrals (CIN episodes)",
        responses={200: ReferralOutput, **schema.LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A referral",
        responses={200: ReferralOutput, **schema.READ_ERRORS},
        parameters=[schema.ETAG],
    ),
)
class ReferralViewSet(ChildRecordViewSet):
    selector = selectors.referral_list
    output_serializer = ReferralOutput
    filterset_class = filters.ReferralFilter

    @extend_schema(
        summary="Open a referral: starts a child in need episode",
        request=ReferralOpenInput,
        responses={201: ReferralOutput, **schema.CREATE_ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.ETAG],
    )
    @idempotent_create
    def create(self, request):
        data = self.validated(ReferralOpenInput, request)
        referral = services.referral_open(by=request.user, **data)
        return self.changed(request, referral, status=201)

    @extend_schema(
        summary="Close the episode with a date and census reason (RC1-RC9)",
        request=ReferralCloseInput,
        responses={200: ReferralOutput, **schema.CHANGE_ERRORS},
        parameters=[schema.IF_MATCH, schema.ETAG],
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        referral, versions = self.at_if_match(request, pk)
        data = self.validated(ReferralCloseInput, request)
        referral = services.referral_close(
            referral=referral,
            by=request.user,
            closed_on=data["closed_on"],
            reason=data["closure_reason"],
            expected_version=versions,
        )
        return self.changed(request, referral)

    @extend_schema(
        summary="Reopen a closed episode (e.g. closed in error the same day)",
        request=ReferralReopenInput,
        responses={200: ReferralOutput, **schema.CHANGE_ERRORS},
        parameters=[schema.IF_MATCH, schema.ETAG],
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        referral, versions = self.at_if_match(request, pk)
        data = self.validated(ReferralReopenInput, request)
        referral = services.referral_reopen(
            referral=referral, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, referral)

    @extend_schema(
        summary="Allocate the episode to a worker (ends the current allocation)",
        request=AllocateInput,
        responses={201: AllocationOutput, **schema.CREATE_UNDER_ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.ETAG],
    )
    @action(detail=True, methods=["post"])
    @idempotent_create
    def allocate(self, request, pk=None):
        referral = self.get_object()
        data = self.validated(AllocateInput, request)
        allocation = casework_services.case_allocate(referral=referral, by=request.user, **data)
        return self.changed(request, allocation, status=201, serializer=AllocationOutput)

"""Child and Family assessments: start, then one action per transition."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from api import filters, schema, selectors
from api.idempotency import idempotent_create
from api.serializers import AssessmentOutput, VisiblePrimaryKey
from api.views.base import ChildRecordViewSet
from casework import services
from casework.codes import PrimaryNeed
from casework.models import AssessmentOutcome, Worker
from referrals.models import Referral


class AssessmentStartInput(serializers.Serializer):
    referral = VisiblePrimaryKey(Referral, selectors.referral_list)
    started_on = serializers.DateField()
    worker = VisiblePrimaryKey(Worker, required=False, allow_null=True)


class AssessmentChildSeenInput(serializers.Serializer):
    seen_on = serializers.DateField()


class AssessmentCompleteInput(serializers.Serializer):
    completed_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=AssessmentOutcome.choices)
    factors = serializers.ListField(child=serializers.CharField(max_length=4), max_length=40)
    summary = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    primary_need = serializers.ChoiceField(
        choices=PrimaryNeed.choices, required=False, allow_blank=True
    )


class AssessmentSubmitInput(serializers.Serializer):
    submitted_on = serializers.DateField()


class AssessmentReturnInput(serializers.Serializer):
    returned_on = serializers.DateField()
    reason = serializers.CharField(max_length=5000, allow_blank=True)


class AssessmentAuthoriseInput(serializers.Serializer):
    authorised_on = serializers.DateField()


def _transition(summary: str, input_serializer):
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={200: AssessmentOutput, **schema.CHANGE_ERRORS},
        parameters=[schema.IF_MATCH, schema.ETAG],
    )


@extend_schema_view(
    list=extend_schema(
        summary="List assessments", responses={200: AssessmentOutput, **schema.LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="An assessment",
        responses={200: AssessmentOutput, **schema.READ_ERRORS},
        parameters=[schema.ETAG],
    ),
)
class AssessmentViewSet(ChildRecordViewSet):
    selector = selectors.assessment_list
    output_serializer = AssessmentOutput
    filterset_class = filters.AssessmentFilter

    @extend_schema(
        summary="Start an assessment on an open episode",
        request=AssessmentStartInput,
        responses={201: AssessmentOutput, **schema.CREATE_ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.ETAG],
    )
    @idempotent_create
    def create(self, request):
        data = self.validated(AssessmentStartInput, request)
        assessment = services.assessment_start(by=request.user, **data)
        return self.changed(request, assessment, status=201)

    @_transition("Record the date the child was first seen", AssessmentChildSeenInput)
    @action(detail=True, methods=["post"], url_path="child-seen")
    def child_seen(self, request, pk=None):
        assessment, versions = self.at_if_match(request, pk)
        data = self.validated(AssessmentChildSeenInput, request)
        assessment = services.assessment_record_child_seen(
            assessment=assessment, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, assessment)

    @_transition("The worker completes the assessment", AssessmentCompleteInput)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        assessment, versions = self.at_if_match(request, pk)
        data = self.validated(AssessmentCompleteInput, request)
        assessment = services.assessment_complete(
            assessment=assessment, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, assessment)

    @_transition("Submit for a manager's authorisation", AssessmentSubmitInput)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment, versions = self.at_if_match(request, pk)
        data = self.validated(AssessmentSubmitInput, request)
        assessment = services.assessment_submit(
            assessment=assessment, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, assessment)

    @_transition("A manager returns the assessment to the worker", AssessmentReturnInput)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_worker(self, request, pk=None):
        assessment, versions = self.at_if_match(request, pk)
        data = self.validated(AssessmentReturnInput, request)
        assessment = services.assessment_return(
            assessment=assessment, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, assessment)

    @_transition("A manager authorises the assessment", AssessmentAuthoriseInput)
    @action(detail=True, methods=["post"])
    def authorise(self, request, pk=None):
        assessment, versions = self.at_if_match(request, pk)
        data = self.validated(AssessmentAuthoriseInput, request)
        assessment = services.assessment_authorise(
            assessment=assessment, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, assessment)

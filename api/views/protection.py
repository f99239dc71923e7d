"""Strategy discussions, section 47 enquiries and conferences."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action

from api import filters, schema, selectors
from api.idempotency import idempotent_create
from api.serializers import (
    ConferenceOutput,
    Section47Output,
    StrategyDiscussionOutput,
    VisiblePrimaryKey,
)
from api.views.base import (
    ChildRecordViewSet,
    create_schema,
    read_schema,
    transition_schema,
)
from casework import errors, services
from casework.errors import DomainError
from casework.models import S47Outcome
from referrals.models import Referral


class StrategyDiscussionInput(serializers.Serializer):
    referral = VisiblePrimaryKey(Referral, selectors.referral_list)
    held_on = serializers.DateField()
    s47_required = serializers.BooleanField()
    attendees = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True)


@read_schema("strategy discussion", "strategy discussions", StrategyDiscussionOutput)
class StrategyDiscussionViewSet(ChildRecordViewSet):
    selector = selectors.strategy_discussion_list
    output_serializer = StrategyDiscussionOutput
    filterset_class = filters.StrategyDiscussionFilter

    @create_schema(
        "Record a strategy discussion (starts the s47 enquiry when one is decided)",
        StrategyDiscussionInput,
        StrategyDiscussionOutput,
    )
    @idempotent_create
    def create(self, request):
        data = self.validated(StrategyDiscussionInput, request)
        discussion = services.strategy_discussion_record(by=request.user, **data)
        return self.changed(request, discussion, status=201)


class S47OutcomeInput(serializers.Serializer):
    ended_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=S47Outcome.choices)


class S47ReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True)


class S47AuthoriseInput(serializers.Serializer):
    """Nothing to send: the manager signs off the outcome as recorded."""


@read_schema("section 47 enquiry", "section 47 enquiries", Section47Output)
class Section47ViewSet(ChildRecordViewSet):
    selector = selectors.s47_list
    output_serializer = Section47Output
    filterset_class = filters.Section47Filter

    @transition_schema("The worker records the outcome", S47OutcomeInput, Section47Output)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        s47, versions = self.at_if_match(request, pk)
        data = self.validated(S47OutcomeInput, request)
        s47 = services.s47_submit_outcome(
            s47=s47, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, s47)

    @transition_schema("A manager returns the outcome", S47ReturnInput, Section47Output)
    @action(detail=True, methods=["post"], url_path="return")
    def return_outcome(self, request, pk=None):
        s47, versions = self.at_if_match(request, pk)
        data = self.validated(S47ReturnInput, request)
        s47 = services.s47_return_outcome(
            s47=s47, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, s47)

    @transition_schema("A manager signs off the outcome", S47AuthoriseInput, Section47Output)
    @action(detail=True, methods=["post"])
    def authorise(self, request, pk=None):
        s47, versions = self.at_if_match(request, pk)
        self.validated(S47AuthoriseInput, request)
        s47 = services.s47_complete(s47=s47, by=request.user, expected_version=versions)
        return self.changed(request, s47)


class ConferenceHoldInput(serializers.Serializer):
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=schema.ICPC_OUTCOMES)
    chair = serializers.CharField(max_length=100, required=False, allow_blank=True)


@read_schema("conference", "conferences", ConferenceOutput)
class ConferenceViewSet(ChildRecordViewSet):
    selector = selectors.conference_list
    output_serializer = ConferenceOutput
    filterset_class = filters.ConferenceFilter

    @transition_schema(
        "Record that the initial conference was held, with its outcome",
        ConferenceHoldInput,
        ConferenceOutput,
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        conference, versions = self.at_if_match(request, pk)
        data = self.validated(ConferenceHoldInput, request)
        if conference.s47_id is None:  # review conferences are recorded on their plan
            raise DomainError(errors.ICPC_S47_NOT_ICPC, field="s47")
        conference = services.icpc_record(
            s47=conference.s47, by=request.user, expected_version=versions, **data
        )
        return self.changed(request, conference)

"""Children: list, detail, add, and change details (PATCH with If-Match)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api import filters, schema, selectors
from api.idempotency import idempotent_create
from api.serializers import ChildOutput
from api.views.base import ChildRecordViewSet
from casework import services
from casework.codes import Ethnicity, Sex, UPNUnknownReason


class ChildCreateInput(serializers.Serializer):
    la_child_id = serializers.CharField(max_length=20)
    first_name = serializers.CharField(max_length=60)
    last_name = serializers.CharField(max_length=60)
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    expected_date_of_birth = serializers.DateField(required=False, allow_null=True)
    date_of_death = serializers.DateField(required=False, allow_null=True)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, required=False)
    disabilities = serializers.ListField(
        child=serializers.CharField(max_length=4), required=False, max_length=20
    )
    upn = serializers.CharField(max_length=13, required=False, allow_blank=True)
    upn_unknown_reason = serializers.ChoiceField(
        choices=UPNUnknownReason.choices, required=False, allow_blank=True
    )
    nhs_number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=8, required=False, allow_blank=True)


class ChildUpdateInput(ChildCreateInput):
    """Only the fields sent are changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("la_child_id")
        for field in self.fields.values():
            field.required = False


@extend_schema_view(
    list=extend_schema(summary="List children", responses={200: ChildOutput, **schema.LIST_ERRORS}),
    retrieve=extend_schema(
        summary="A child",
        responses={200: ChildOutput, **schema.READ_ERRORS},
        parameters=[schema.ETAG],
    ),
)
class ChildViewSet(ChildRecordViewSet):
    selector = selectors.child_list
    output_serializer = ChildOutput
    filterset_class = filters.ChildFilter
    child_field = "pk"
    case_detail = False  # identity and personal details, which business support record

    @extend_schema(
        summary="Add a child",
        request=ChildCreateInput,
        responses={201: ChildOutput, **schema.CREATE_ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.ETAG],
    )
    @idempotent_create
    def create(self, request):
        data = self.validated(ChildCreateInput, request)
        child = services.child_create(by=request.user, **data)
        return self.changed(request, child, status=201)

    @extend_schema(
        summary="Change a child's details",
        request=ChildUpdateInput,
        responses={200: ChildOutput, **schema.CHANGE_ERRORS},
        parameters=[schema.IF_MATCH, schema.ETAG],
    )
    def partial_update(self, request, pk=None):
        child, versions = self.at_if_match(request, pk)
        data = self.validated(ChildUpdateInput, request)
        child = services.child_update(child=child, by=request.user, version=versions, **data)
        return self.changed(request, child)

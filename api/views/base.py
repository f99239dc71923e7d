"""What every resource's views share: visibility, audit, ETags and input validation."""

from __future__ import annotations

from django.db.models import Model
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from api import schema
from api.audit import CHANGE, VIEW, audit_child_access, audit_children_access
from api.concurrency import at_if_match, etag
from api.pagination import Pagination
from api.visibility import CaseDetailPermission

ID_PATTERN = r"[0-9]{1,18}"


def read_schema(one: str, many: str, output):
    """Document a resource's list and detail."""
    return extend_schema_view(
        list=extend_schema(summary=f"List {many}", responses={200: output, **schema.LIST_ERRORS}),
        retrieve=extend_schema(
            summary=f"One {one}",
            responses={200: output, **schema.READ_ERRORS},
            parameters=[schema.ETAG],
        ),
    )


def transition_schema(summary: str, input_serializer, output):
    """Document a transition: If-Match required, the changed record and its new ETag back."""
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={200: output, **schema.CHANGE_ERRORS},
        parameters=[schema.IF_MATCH, schema.ETAG],
    )


def create_schema(summary: str, input_serializer, output, *, under_record: bool = False):
    """Document a create: optional Idempotency-Key; 404 too when made under a record."""
    errors = schema.CREATE_UNDER_ERRORS if under_record else schema.CREATE_ERRORS
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={201: output, **errors},
        parameters=[schema.IDEMPOTENCY_KEY, schema.ETAG],
    )


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A paginated, filterable list and a detail; subclasses add one action per operation."""

    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    # About a case, not only who a child is: refused to business support, as the pages
    # refuse them (ChildAccessMiddleware). Identity resources (children, contacts) say False.
    case_detail = True
    output_serializer = None
    selector = None

    def get_permissions(self):
        return [*super().get_permissions(), CaseDetailPermission()]

    def get_serializer_class(self):
        return self.output_serializer

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def validated(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def output(self, obj: Model, *, status: int = 200, serializer=None) -> Response:
        serializer = serializer or self.output_serializer
        data = serializer(obj, context=self.get_serializer_context()).data
        headers = {"ETag": etag(obj)} if hasattr(obj, "version") else {}
        return Response(data, status=status, headers=headers)


class ChildRecordViewSet(ReadViewSet):
    """Rows about a child: lists and details are audited; changes lock at the If-Match."""

    child_field = "child"

    def child_of(self, obj):
        return obj if self.child_field == "pk" else obj.child_id

    def children_of(self, obj) -> list:
        """The children a detail response shows: one audit row each."""
        return [self.child_of(obj)]

    def list(self, request, *args, **kwargs):
        # One audit row per child on the page, in one INSERT (issue 16, finding 5).
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        audit_children_access(request, [c for obj in rows for c in self.children_of(obj)], VIEW)
        data = self.get_serializer(rows, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        for child in self.children_of(obj):
            audit_child_access(request, child, VIEW)
        return self.output(obj)

    def at_if_match(self, request, pk) -> tuple[Model, set[int]]:
        """The row and the client's If-Match versions; the service locks and compares."""
        queryset = self.get_queryset().select_related(None).prefetch_related(None)
        return at_if_match(request, queryset, pk)

    def changed(self, request, obj: Model, *, status: int = 200, serializer=None) -> Response:
        for child in [obj.child_id] if serializer else self.children_of(obj):
            audit_child_access(request, child, CHANGE)
        return self.output(obj, status=status, serializer=serializer)

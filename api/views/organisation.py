"""Teams and workers (read only), and stored KPI values."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from api import filters, schema, selectors
from api.pagination import Pagination
from api.serializers import TeamOutput, WorkerOutput
from api.views.base import ReadViewSet, read_schema
from api.visibility import KpiPermission


@read_schema("team", "teams", TeamOutput)
class TeamViewSet(ReadViewSet):
    selector = staticmethod(lambda *, user: selectors.team_list())
    output_serializer = TeamOutput
    filterset_class = filters.TeamFilter
    case_detail = False  # the organisation, not any child


@read_schema("worker", "workers", WorkerOutput)
class WorkerViewSet(ReadViewSet):
    selector = staticmethod(lambda *, user: selectors.worker_list())
    output_serializer = WorkerOutput
    filterset_class = filters.WorkerFilter
    case_detail = False  # the organisation, not any child


class KpiValueOutput(serializers.Serializer):
    """The same fields as ``manage.py kpi_values``."""

    kpi = serializers.CharField()
    period = serializers.CharField()
    scope = serializers.CharField()
    numerator = serializers.FloatField()
    denominator = serializers.FloatField()
    value = serializers.FloatField(allow_null=True)


class KpiQuery(serializers.Serializer):
    period = serializers.CharField(max_length=20, help_text="FY2024-25, 2024-Q3, 2024-11, ...")
    scope = serializers.CharField(
        max_length=40, default="authority", help_text="authority, team:ID or worker:ID"
    )


SCOPE_REFUSED = "You cannot see figures for that team or worker"
MAX_SCOPE_ID = 2**31 - 1  # KpiSnapshot.scope_id is a PositiveIntegerField


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@extend_schema(
    summary="Stored KPI values for a period and scope",
    parameters=[
        OpenApiParameter("period", str, required=True, description="FY2024-25, 2024-Q3, 2024-11"),
        OpenApiParameter("scope", str, description="authority (default), team:ID or worker:ID"),
    ],
    responses={200: KpiValueOutput(many=True), **schema.LIST_ERRORS},
)
class KpiValueList(ListAPIView):
    """Reads the KPI snapshots the metrics jobs store; computing them is not done here."""

    pagination_class = Pagination
    serializer_class = KpiValueOutput
    permission_classes = [IsAuthenticated, KpiPermission]
    filter_backends = []

    def get_queryset(self):
        from metrics import periods
        from metrics import selectors as kpi_selectors

        query = KpiQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        try:
            period = periods.parse(query.validated_data["period"])
            scope_type, scope_id = kpi_selectors.parse_scope(query.validated_data["scope"])
        except (periods.PeriodError, kpi_selectors.ScopeError) as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        if scope_id is not None and scope_id > MAX_SCOPE_ID:
            raise serializers.ValidationError({"scope": [kpi_selectors.SCOPE_INVALID]})
        # The KPI pages' rule: a manager's scopes are their own teams and their workers.
        if not kpi_selectors.scope_allowed(self.request.user, scope_type, scope_id):
            raise exceptions.PermissionDenied(SCOPE_REFUSED)
        return kpi_selectors.snapshot_list(
            periods=[period.name], scope_type=scope_type, scope_id=scope_id
        )

    def list(self, request, *args, **kwargs):
        from metrics import selectors as kpi_selectors

        page = self.paginate_queryset(self.get_queryset())
        rows = [
            {
                "kpi": s.kpi,
                "period": s.period,
                "scope": kpi_selectors.format_scope(s.scope_type, s.scope_id),
                "numerator": _number(s.numerator),
                "denominator": _number(s.denominator),
                "value": _number(s.value),
            }
            for s in page
        ]
        return self.get_paginated_response(rows)

"""/api/v1/: the resources, tokens, KPI values, the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api.views.assessments import AssessmentViewSet
from api.views.children import ChildViewSet
from api.views.front_door import ContactViewSet, ReferralViewSet
from api.views.organisation import KpiValueList, TeamViewSet, WorkerViewSet
from api.views.plans import CINPlanViewSet, CPPlanViewSet
from api.views.protection import ConferenceViewSet, Section47ViewSet, StrategyDiscussionViewSet
from api.views.tokens import TokenViewSet
from api.views.visits import AllocationViewSet, VisitViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("children", ChildViewSet, basename="child")
router.register("contacts", ContactViewSet, basename="contact")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("strategy-discussions", StrategyDiscussionViewSet, basename="strategy-discussion")
router.register("s47-enquiries", Section47ViewSet, basename="s47-enquiry")
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("cp-plans", CPPlanViewSet, basename="cp-plan")
router.register("cin-plans", CINPlanViewSet, basename="cin-plan")
router.register("visits", VisitViewSet, basename="visit")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("teams", TeamViewSet, basename="team")
router.register("workers", WorkerViewSet, basename="worker")
router.register("tokens", TokenViewSet, basename="token")


def _kpi_snapshots_merged() -> bool:
    """The KPI engine (metrics snapshots) lands separately; serve /kpis/ once it has."""
    try:
        from metrics import selectors
    except ImportError:
        return False
    return hasattr(selectors, "snapshot_list")


urlpatterns = [
    path("", include(router.urls)),
    *([path("kpis/", KpiValueList.as_view(), name="kpi-list")] if _kpi_snapshots_merged() else []),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]

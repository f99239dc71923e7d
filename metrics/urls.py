from django.urls import path

from metrics import views, views_report

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views_report.quarterly_report, name="report"),
    path("report/commentary/", views_report.report_commentary, name="report_commentary"),
    path("recompute/", views.recompute, name="recompute"),
    path("caseload/", views.caseload, name="caseload"),
    path("<slug:code>/target/", views.target_edit, name="target"),
    path("<slug:code>/", views.kpi_detail, name="kpi"),
    path("<slug:code>/<slug:part>/", views.drilldown, name="drilldown"),
]

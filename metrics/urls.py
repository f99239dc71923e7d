from django.urls import path

from metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:code>/", views.kpi_detail, name="kpi"),
    path("<slug:code>/<slug:part>/", views.drilldown, name="drilldown"),
]

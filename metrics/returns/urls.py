from django.urls import path

from metrics.returns import views, views_ssda903

app_name = "returns"

urlpatterns = [
    path("", views.returns_home, name="home"),
    path("annex-a", views.annex_a_start, name="annex_a"),
    path("cin-census/<int:year>/checks", views.census_checks, name="checks"),
    path("exports/<str:job_id>", views.export_download, name="download"),
    path("ssda903/<int:year>/checks", views_ssda903.ssda903_checks, name="ssda903_checks"),
    path("ssda903/<int:year>/download", views_ssda903.ssda903_download, name="ssda903_download"),
]

from django.urls import path

from care import views

urlpatterns = [
    path("care/due/", views.care_due, name="care_due"),
    path("children/<int:child>/care/start/", views.care_start, name="care_start"),
    path(
        "children/<int:child>/care/missing/<int:pk>/return/",
        views.missing_return,
        name="care_missing_return",
    ),  # fmt: skip
    path("children/<int:child>/care-leaver/start/", views.leaver_start, name="care_leaver_start"),
    path(
        "children/<int:child>/care-leaver/<slug:step>/",
        views.leaver_step,
        name="care_leaver_step",
    ),  # fmt: skip
    path(
        "children/<int:child>/adoption/<slug:step>/",
        views.adoption_step,
        name="care_adoption_step",
    ),  # fmt: skip
    path("children/<int:child>/care/<slug:step>/", views.care_step, name="care_step"),
]

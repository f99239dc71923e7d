from django.urls import path

from care import views, views_adopters

urlpatterns = [
    path("care/due/", views.care_due, name="care_due"),
    path("adopters/", views_adopters.household_list, name="care_adopters"),
    path("adopters/new/", views_adopters.household_new, name="care_adopters_new"),
    path("adopters/<int:pk>/", views_adopters.household_detail, name="care_adopter_household"),
    path("adopters/<int:pk>/step/", views_adopters.household_step, name="care_adopters_step"),
    path("adopters/<int:pk>/left/", views_adopters.household_leave, name="care_adopters_left"),
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

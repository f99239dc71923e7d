from django.urls import path

from earlyhelp import views

app_name = "earlyhelp"
urlpatterns = [
    path("", views.episode_list, name="list"),
    path("<int:pk>/", views.episode_record, name="episode"),
    path("<int:pk>/<slug:step>/", views.episode_step, name="step"),
    path("children/<int:child>/request/", views.episode_request, name="request"),
    path("referrals/<int:referral>/step-down/", views.step_down_cin, name="step_down_cin"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("restrictions/", views.restrictions, name="restrictions"),
    path("restrictions/new/", views.restriction_new, name="restriction_new"),
    path("restrictions/<int:pk>/lift/", views.restriction_lift, name="restriction_lift"),
]

# Mounted at the site root by config/urls.py, beside the other child pages.
child_urlpatterns = [
    path("children/<int:child>/audit/", views.child_audit, name="child_audit"),
]

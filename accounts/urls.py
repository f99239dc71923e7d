from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from api import token_pages

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("restrictions/", views.restrictions, name="restrictions"),
    path("restrictions/new/", views.restriction_new, name="restriction_new"),
    path("restrictions/<int:pk>/lift/", views.restriction_lift, name="restriction_lift"),
    path("api-tokens/", token_pages.tokens, name="api_tokens"),
    # The token's id is in the form, not the URL: no record id in a URL but children's.
    path("api-tokens/revoke/", token_pages.token_revoke, name="api_token_revoke"),
]

# Mounted at the site root by config/urls.py, beside the other child pages.
child_urlpatterns = [
    path("children/<int:child>/audit/", views.child_audit, name="child_audit"),
]

from django.contrib import admin
from django.urls import include, path

from accounts.urls import child_urlpatterns as account_child_urls
from config import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("api.urls")),
    path("returns/", include("metrics.returns.urls")),
    path("kpis/", include("metrics.urls")),
    path("early-help/", include("earlyhelp.urls")),
    path("workforce/", include("workforce.urls")),
    path("", include(account_child_urls)),
    path("", include("referrals.urls")),
    path("", include("casework.urls")),
    path("", include("care.urls")),
]

handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"

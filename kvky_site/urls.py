from django.contrib import admin
from django.urls import include, path

from conversations.backoffice import views as backoffice_views
from kvky_site import health, metrics

urlpatterns = [
    # Production probes and metrics; OpsEndpointsMiddleware serves these paths before host checks.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/tablero/", admin.site.admin_view(backoffice_views.dashboard), name="backoffice-dashboard"),
    path("admin/", admin.site.urls),
    path("", include("conversations.api.urls")),
    path("", include("conversations.urls")),
    path("", include("conversations.channels.webchat_urls")),
    path("", include("conversations.channels.whatsapp_urls")),
]

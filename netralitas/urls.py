from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from netralitas.health import healthz

admin.site.site_header = "Administrasi Netralitas"
admin.site.site_title = "Netralitas"
admin.site.index_title = "Data referensi dan pengguna"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The REST API for the institutions that receive referrals (docs/api.md); versioned in the path.
    path("api/v1/", include("cases.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="1"), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("netralitas.accounts.urls")),
    path("", include("netralitas.notify.urls")),
    path("", include("cases.urls")),
    path("", include("outreach.urls")),
    path("", include("dashboard.urls")),
]

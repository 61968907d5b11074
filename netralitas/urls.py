from django.contrib import admin
from django.urls import include, path

from netralitas.health import healthz

admin.site.site_header = "Administrasi Netralitas"
admin.site.site_title = "Netralitas"
admin.site.index_title = "Data referensi dan pengguna"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("netralitas.accounts.urls")),
    path("", include("netralitas.notify.urls")),
    path("", include("netralitas.reference.urls")),
    path("", include("cases.urls")),
    path("", include("outreach.urls")),
    path("", include("netralitas.dashboard.urls")),
]
